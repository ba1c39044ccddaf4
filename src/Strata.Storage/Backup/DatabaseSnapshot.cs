using System.Globalization;
using System.Text.Json;
using Strata.Storage.IO;
using Strata.Storage.Meta;
using Strata.Storage.Segments;
using Strata.Storage.Shards;

namespace Strata.Storage.Backup;

/// <summary>
/// <c>database.state</c> of a one-database snapshot (docs/format/backup.md): the database's metadata (users,
/// continuous queries, shard spaces in priority order), its series index and its shards with their segments and
/// tombstones, all as of the snapshot's flush point. Ids are the source node's; a restore allocates new ones for
/// the database, shards and segment files and keeps the series ids, which are per database.
/// </summary>
public sealed class DatabaseSnapshot
{
    public const string FileName = "database.state";

    private static ReadOnlySpan<byte> Magic => "STRATDBS"u8;

    private const ushort Version = 1;

    public string Database { get; set; } = string.Empty;

    /// <summary>The source node's sequence counter at the flush point; a restore raises its own counter to it.</summary>
    public long SequenceCounter { get; set; }

    public List<DatabaseUser> Users { get; set; } = [];

    public List<ContinuousQuery> ContinuousQueries { get; set; } = [];

    /// <summary>Highest priority first.</summary>
    public List<ShardSpace> ShardSpaces { get; set; } = [];

    /// <summary>The series index; null when nothing was ever written to the database.</summary>
    public Checkpoint.IndexRecord? Index { get; set; }

    /// <summary>Shards that hold segments; segment numbers oldest first, as in the checkpoint.</summary>
    public List<Checkpoint.ShardRecord> Shards { get; set; } = [];

    /// <summary>Where a segment of a shard lives inside the snapshot directory ('/'-separated).</summary>
    public static string SegmentPath(long shardId, long number) =>
        "shards/" + shardId.ToString("D6", CultureInfo.InvariantCulture) + "/" + SegmentFormat.FileName(number);

    /// <summary>Every file the snapshot needs: database.state and each shard's segments.</summary>
    public List<string> ExpectedFiles()
    {
        var files = new List<string> { FileName };
        foreach (var shard in Shards)
        {
            foreach (var number in shard.Segments)
            {
                files.Add(SegmentPath(shard.Id, number));
            }
        }

        return files;
    }

    public static DatabaseSnapshot Load(string directory)
    {
        try
        {
            var payload = Checksummed.Unwrap(File.ReadAllBytes(Path.Combine(directory, FileName)), Magic, Version, out _);
            var snapshot = JsonSerializer.Deserialize(payload.Span, StateJson.Default.DatabaseSnapshot) ?? throw new InvalidDataException("empty document");
            snapshot.Validate();
            return snapshot;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            throw new InvalidDataException($"cannot read {FileName}: {e.Message}", e);
        }
    }

    public void Save(string directory)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(this, StateJson.Default.DatabaseSnapshot);
        AtomicFile.Write(Path.Combine(directory, FileName), Checksummed.Wrap(Magic, Version, json));
    }

    /// <summary>Structural checks a checksum cannot make (a document written by a buggy or foreign tool).</summary>
    private void Validate()
    {
        if (Database.Length == 0)
        {
            throw new InvalidDataException("no database name");
        }

        if (Users is null || ContinuousQueries is null || ShardSpaces is null || Shards is null)
        {
            throw new InvalidDataException("missing users, continuous queries, shard spaces or shards");
        }

        var shardIds = new HashSet<long>();
        var buckets = new HashSet<(long, string)>();
        foreach (var shard in Shards)
        {
            if (shard is null || shard.Segments is null || shard.Space is null || shard.Id <= 0 || !shardIds.Add(shard.Id) || !buckets.Add((shard.StartMicros, shard.Space)) || shard.EndMicros <= shard.StartMicros)
            {
                throw new InvalidDataException("invalid or duplicate shard record");
            }

            for (var i = 0; i < shard.Segments.Count; i++)
            {
                if (shard.Segments[i] <= 0 || (i > 0 && shard.Segments[i] <= shard.Segments[i - 1]))
                {
                    throw new InvalidDataException($"shard {shard.Id}: segment numbers must be positive and ascending");
                }
            }
        }

        if (Index is { } index)
        {
            var ids = new HashSet<uint>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var series in index.Series ?? [])
            {
                if (series?.Name is null || series.Columns is null || series.Id == 0 || series.Id >= index.NextSeriesId || !ids.Add(series.Id) || !names.Add(series.Name))
                {
                    throw new InvalidDataException("invalid or duplicate series record");
                }
            }
        }
    }
}
