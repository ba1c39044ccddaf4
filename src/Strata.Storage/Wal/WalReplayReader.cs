using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Strata.Core;

namespace Strata.Storage.Wal;

/// <summary>One WAL record decoded for replay; the reader reuses it once the caller hands it back.</summary>
internal sealed class DecodedRecord
{
    public WalRecordType Type { get; set; }

    public uint DatabaseId { get; set; }

    /// <summary>The node's sequence counter after the write (<see cref="WalRecordType.Write"/>, which both write layouts decode to).</summary>
    public long SequenceCounter { get; set; }

    /// <summary>The points of a <see cref="WalRecordType.Write"/>.</summary>
    public WriteBatch Batch { get; } = new();

    /// <summary>The series of a <see cref="WalRecordType.DeleteRange"/> or <see cref="WalRecordType.DropSeries"/>.</summary>
    public string Series { get; set; } = "";

    public long StartMicros { get; set; }

    public long EndMicros { get; set; }
}

/// <summary>
/// Reads, checks and decodes WAL files on a thread of its own while the caller applies the records, so recovery
/// uses both cores: for W, decoding (varints, names, values) takes most of what applying does. Records come
/// out in log order; at most <see cref="InFlight"/> wait decoded, so memory stays bounded however long the log.
/// </summary>
internal sealed class WalReplayReader : IDisposable
{
    private const int InFlight = 8;

    private readonly BlockingCollection<DecodedRecord> _decoded = new(InFlight);
    private readonly ConcurrentQueue<DecodedRecord> _free = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly IReadOnlyList<(long Number, string Path)> _files;
    private readonly List<WalReadResult> _results = [];
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    public WalReplayReader(IReadOnlyList<(long Number, string Path)> files)
    {
        _files = files;
        _thread = new Thread(Run) { IsBackground = true, Name = "strata-wal-replay" };
        _thread.Start();
    }

    /// <summary>
    /// The records of every file in order. Hand each back with <see cref="Return"/> once applied. Rethrows what
    /// stopped the reader (an unreadable file, an unknown record type) after the records before it.
    /// </summary>
    public IEnumerable<DecodedRecord> Records()
    {
        foreach (var record in _decoded.GetConsumingEnumerable())
        {
            yield return record;
        }

        _thread.Join();
        _failure?.Throw();
    }

    /// <summary>What each file held and where its tail was cut; complete once <see cref="Records"/> has ended.</summary>
    public IReadOnlyList<WalReadResult> Results => _results;

    public void Return(DecodedRecord record) => _free.Enqueue(record);

    private void Run()
    {
        var names = new NameInterner();
        try
        {
            foreach (var (number, path) in _files)
            {
                _results.Add(WalReader.ReadAndRepair(path, number, payload => _decoded.Add(Decode(payload, names), _stop.Token)));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The caller stopped applying (it failed, or was disposed early): nothing more to hand out.
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            _decoded.CompleteAdding();
        }
    }

    private DecodedRecord Decode(ReadOnlySpan<byte> payload, NameInterner names)
    {
        var record = _free.TryDequeue(out var reused) ? reused : new DecodedRecord();
        record.Type = WalRecords.PeekType(payload);
        switch (record.Type)
        {
            case WalRecordType.Write or WalRecordType.WriteColumns or WalRecordType.WriteCompact:
                // Every layout decodes to the same batch: replay applies them alike.
                record.Type = WalRecordType.Write;
                (record.DatabaseId, record.SequenceCounter) = WalRecords.ReadWrite(payload, record.Batch, names);
                break;
            case WalRecordType.DeleteRange:
                (record.DatabaseId, record.Series, record.StartMicros, record.EndMicros) = WalRecords.ReadDeleteRange(payload);
                break;
            case WalRecordType.DropSeries:
                (record.DatabaseId, record.Series) = WalRecords.ReadDropSeries(payload);
                break;
            default:
                throw new InvalidDataException($"unknown WAL record type {payload[0]}");
        }

        return record;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _decoded.Dispose();
        _stop.Dispose();
    }
}
