using Strata.Core;

namespace Strata.Storage.Memtable;

/// <summary>
/// Appends the runs of one write, holding the lock of the memtable it last appended to until a run goes to another
/// memtable or the write is done: a write of 1,000 series into one shard takes one lock, not one per series.
/// </summary>
internal struct MemtableAppender : IDisposable
{
    private Memtable? _held;

    /// <summary>Bytes the appends added to their memtables' <see cref="Memtable.ApproxBytes"/>.</summary>
    public long AddedBytes { get; private set; }

    public void Append(Memtable memtable, uint seriesId, SeriesPoints points, int from, int to)
    {
        if (!ReferenceEquals(memtable, _held))
        {
            _held?.ExitAppend();
            _held = null;
            memtable.EnterAppend();
            _held = memtable;
        }

        AddedBytes += memtable.AppendRunLocked(seriesId, points, from, to);
    }

    public void Dispose()
    {
        _held?.ExitAppend();
        _held = null;
    }
}
