using Strata.Core;

namespace Strata.Storage.Memtable;

/// <summary>
/// The entries of one column of one series in a memtable, in arrival order. Kept sorted lazily: appends in key
/// order (the common case) keep it sorted; anything else is sorted, and duplicate keys resolved newest-wins, on the
/// next read. Not thread-safe; the owning <see cref="Memtable"/> locks.
/// </summary>
internal sealed class ColumnBuffer
{
    private long[] _times = new long[8];
    private long[] _seqs = new long[8];
    private FieldValue[] _values = new FieldValue[8];
    private bool _sorted = true;

    public int Count { get; private set; }

    public void Append(long time, long seq, FieldValue value)
    {
        if (Count == _times.Length)
        {
            var size = _times.Length * 2;
            Array.Resize(ref _times, size);
            Array.Resize(ref _seqs, size);
            Array.Resize(ref _values, size);
        }

        if (_sorted && Count > 0 && ColumnData.CompareKeys(time, seq, _times[Count - 1], _seqs[Count - 1]) <= 0)
        {
            _sorted = false;
        }

        _times[Count] = time;
        _seqs[Count] = seq;
        _values[Count] = value;
        Count++;
    }

    public long ApproxBytes => (Count * 40L) + 64;

    /// <summary>Copies entries with <paramref name="minTime"/> ≤ time ≤ <paramref name="maxTime"/> into <paramref name="output"/>.</summary>
    public void CopyRange(long minTime, long maxTime, ColumnData output)
    {
        EnsureSorted();
        var start = LowerBound(minTime);
        for (var i = start; i < Count && _times[i] <= maxTime; i++)
        {
            output.Add(_times[i], _seqs[i], _values[i]);
        }
    }

    /// <summary>Removes the entries with <paramref name="minTime"/> ≤ time ≤ <paramref name="maxTime"/> (delete from).</summary>
    public void RemoveRange(long minTime, long maxTime)
    {
        EnsureSorted();
        var start = LowerBound(minTime);
        var end = start;
        while (end < Count && _times[end] <= maxTime)
        {
            end++;
        }

        var removed = end - start;
        if (removed == 0)
        {
            return;
        }

        Array.Copy(_times, end, _times, start, Count - end);
        Array.Copy(_seqs, end, _seqs, start, Count - end);
        Array.Copy(_values, end, _values, start, Count - end);
        Count -= removed;
        Array.Clear(_values, Count, removed);
    }

    private int LowerBound(long time)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_times[mid] < time)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public void EnsureSorted()
    {
        if (_sorted)
        {
            return;
        }

        // Stable order by (time, seq, arrival) so the last arrival of a key wins.
        var order = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            order[i] = i;
        }

        var times = _times;
        var seqs = _seqs;
        Array.Sort(order, (a, b) =>
        {
            var c = ColumnData.CompareKeys(times[a], seqs[a], times[b], seqs[b]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var newTimes = new long[_times.Length];
        var newSeqs = new long[_times.Length];
        var newValues = new FieldValue[_times.Length];
        var n = 0;
        foreach (var i in order)
        {
            if (n > 0 && newTimes[n - 1] == _times[i] && newSeqs[n - 1] == _seqs[i])
            {
                newValues[n - 1] = _values[i];
                continue;
            }

            newTimes[n] = _times[i];
            newSeqs[n] = _seqs[i];
            newValues[n] = _values[i];
            n++;
        }

        _times = newTimes;
        _seqs = newSeqs;
        _values = newValues;
        Count = n;
        _sorted = true;
    }
}
