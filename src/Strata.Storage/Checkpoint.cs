using System.Text.Json;
using Strata.Storage.IO;

namespace Strata.Storage;

/// <summary>
/// The engine's manifest, rewritten atomically after every flush and compaction (docs/format/state-files.md). It is
/// the commit point of a flush: segment files it does not list are leftovers and are removed at start-up; WAL files
/// up to <see cref="WalCoveredThrough"/> are no longer needed because their data is in listed segments.
/// </summary>
public sealed class Checkpoint
{
    public const string FileName = "checkpoint.state";

    private static ReadOnlySpan<byte> Magic => "STRATCKP"u8;

    private const ushort Version = 1;

    /// <summary>The last WAL file whose records are all in listed segments (0 = none).</summary>
    public long WalCoveredThrough { get; set; }

    /// <summary>The sequence counter n (sequence numbers are n × 10000 + 1) as of the covered WAL.</summary>
    public long SequenceCounter { get; set; }

    public long NextFileNumber { get; set; } = 1;

    public long NextShardId { get; set; } = 1;

    public List<ShardRecord> Shards { get; set; } = [];

    public List<IndexRecord> Indexes { get; set; } = [];

    public sealed record ShardRecord(long Id, uint DatabaseId, string Space, long StartMicros, long EndMicros, List<long> Segments, List<Shards.Tombstone>? Tombstones = null);

    public sealed record SeriesRecord(uint Id, string Name, string[] Columns);

    public sealed record IndexRecord(uint DatabaseId, uint NextSeriesId, List<SeriesRecord> Series);

    public static Checkpoint Load(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return new Checkpoint();
        }

        try
        {
            var payload = Checksummed.Unwrap(File.ReadAllBytes(path), Magic, Version, out _);
            return JsonSerializer.Deserialize(payload.Span, StateJson.Default.Checkpoint) ?? throw new InvalidDataException("empty document");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new InvalidDataException($"cannot open checkpoint {path}: {e.Message}", e);
        }
    }

    public void Save(string dataDirectory)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, StateJson.Default.Checkpoint);
        AtomicFile.Write(Path.Combine(dataDirectory, FileName), Checksummed.Wrap(Magic, Version, json));
    }
}
