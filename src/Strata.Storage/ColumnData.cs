using Strata.Core;

namespace Strata.Storage;

/// <summary>
/// The entries of one column of one series, ascending by (time, seq), unique keys. Entries of type
/// <see cref="FieldType.Null"/> are deletion markers: they mask older entries with the same key.
/// </summary>
public sealed class ColumnData
{
    private long[] _times;
    private long[] _seqs;
    private FieldValue[] _values;

    public ColumnData(int capacity = 16)
    {
        _times = new long[Math.Max(capacity, 4)];
        _seqs = new long[_times.Length];
        _values = new FieldValue[_times.Length];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<long> Times => _times.AsSpan(0, Count);

    public ReadOnlySpan<long> Seqs => _seqs.AsSpan(0, Count);

    public ReadOnlySpan<FieldValue> Values => _values.AsSpan(0, Count);

    public void Add(long time, long seq, FieldValue value)
    {
        if (Count == _times.Length)
        {
            Grow();
        }

        _times[Count] = time;
        _seqs[Count] = seq;
        _values[Count] = value;
        Count++;
    }

    public void Clear() => Count = 0;

    /// <summary>
    /// Adds <paramref name="length"/> entries and returns their times, sequence numbers and values for the caller to
    /// fill (a bulk <see cref="Add"/>).
    /// </summary>
    public void AddRange(int length, out Span<long> times, out Span<long> seqs, out Span<FieldValue> values)
    {
        EnsureCapacity(Count + length);
        times = _times.AsSpan(Count, length);
        seqs = _seqs.AsSpan(Count, length);
        values = _values.AsSpan(Count, length);
        Count += length;
    }

    /// <summary>Makes room for <paramref name="count"/> entries in all, so a read of known size grows the arrays once.</summary>
    public void EnsureCapacity(int count)
    {
        if (count > _times.Length)
        {
            Resize(Math.Max(count, _times.Length * 2));
        }
    }

    /// <summary>
    /// Takes <paramref name="other"/>'s entries by swapping arrays (this instance's arrays go to
    /// <paramref name="other"/>, which is left empty), instead of copying them.
    /// </summary>
    public void SwapWith(ColumnData other)
    {
        (_times, other._times) = (other._times, _times);
        (_seqs, other._seqs) = (other._seqs, _seqs);
        (_values, other._values) = (other._values, _values);
        Count = other.Count;
        other.Count = 0;
    }

    private void Grow() => Resize(_times.Length * 2);

    private void Resize(int size)
    {
        Array.Resize(ref _times, size);
        Array.Resize(ref _seqs, size);
        Array.Resize(ref _values, size);
    }

    private static bool HasMarker(ColumnData data)
    {
        foreach (var value in data.Values)
        {
            if (value.IsNull)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compares two keys in ascending (time, seq) order.</summary>
    public static int CompareKeys(long t1, long s1, long t2, long s2) => t1 != t2 ? t1.CompareTo(t2) : s1.CompareTo(s2);

    /// <summary>
    /// Merges sources given oldest first into <paramref name="output"/>: for equal keys the newest source wins.
    /// Deletion markers are kept when <paramref name="keepMarkers"/> is set, otherwise they only mask and vanish.
    /// </summary>
    public static void Merge(IReadOnlyList<ColumnData> sourcesOldestFirst, ColumnData output, bool keepMarkers)
    {
        output.Clear();
        var n = sourcesOldestFirst.Count;
        if (n == 0)
        {
            return;
        }

        if (n == 1)
        {
            var only = sourcesOldestFirst[0];
            if (keepMarkers || !HasMarker(only))
            {
                // The common read: one segment or one memtable, no markers. Swapping arrays instead of copying
                // the entries halves the bytes a scan allocates (QueryBenchmarks).
                output.SwapWith(only);
                return;
            }

            output.EnsureCapacity(only.Count);
            for (var i = 0; i < only.Count; i++)
            {
                if (keepMarkers || !only._values[i].IsNull)
                {
                    output.Add(only._times[i], only._seqs[i], only._values[i]);
                }
            }

            return;
        }

        Span<int> positions = n <= 64 ? stackalloc int[n] : new int[n];
        positions.Clear();
        while (true)
        {
            // Pick the smallest key; among equal keys the newest source (highest index) wins.
            var best = -1;
            for (var s = 0; s < n; s++)
            {
                var src = sourcesOldestFirst[s];
                var p = positions[s];
                if (p >= src.Count)
                {
                    continue;
                }

                if (best < 0)
                {
                    best = s;
                    continue;
                }

                var b = sourcesOldestFirst[best];
                var bp = positions[best];
                var c = CompareKeys(src._times[p], src._seqs[p], b._times[bp], b._seqs[bp]);
                if (c <= 0)
                {
                    best = s;
                }
            }

            if (best < 0)
            {
                return;
            }

            var winner = sourcesOldestFirst[best];
            var wp = positions[best];
            var t = winner._times[wp];
            var q = winner._seqs[wp];
            var v = winner._values[wp];

            // Advance every source past this key.
            for (var s = 0; s < n; s++)
            {
                var src = sourcesOldestFirst[s];
                var p = positions[s];
                if (p < src.Count && src._times[p] == t && src._seqs[p] == q)
                {
                    positions[s] = p + 1;
                }
            }

            if (keepMarkers || !v.IsNull)
            {
                output.Add(t, q, v);
            }
        }
    }
}
