using System.Runtime.InteropServices;
using Strata.Core;

namespace Strata.Storage.Memtable;

/// <summary>
/// The entries of one column of one series in a memtable, in arrival order. Kept sorted lazily: appends in key
/// order (the common case) keep it sorted; anything else is sorted, and duplicate keys resolved newest-wins, on the
/// next read. Not thread-safe; the owning <see cref="Memtable"/> locks.
/// </summary>
/// <remarks>
/// Values are stored unboxed as their 64-bit payload and a type byte (25 bytes an entry with time and sequence
/// number, against 40 for an array of <see cref="FieldValue"/>); strings get an array only once one arrives, so a
/// numeric column holds no references for the garbage collector to scan. Storage is chunked: a column's first 64
/// entries live in small managed arrays (a series of one point stays small), everything past them in full-size
/// slots of the memtable's <see cref="ChunkArena"/>. Growth never copies more than those 64 entries, and the bulk
/// of a memtable is never cleared, copied or scanned by the garbage collector: WAL replay of 10 M points once spent
/// a quarter of its time clearing and faulting in ever larger managed arrays.
/// </remarks>
internal sealed partial class ColumnBuffer
{
    /// <summary>Entries per full chunk (8 KiB of times).</summary>
    public const int ChunkEntries = 1 << ChunkShift;

    /// <summary>Bytes held per entry (time, sequence number, payload, type), as the memtable budget counts them.</summary>
    public const int EntryBytes = 25;

    /// <summary>How far back from the end an out-of-order entry is placed on arrival (see <see cref="TryInsertNearEnd"/>).</summary>
    private const int InsertWindow = 64;

    private const int ChunkShift = 10;
    private const int ChunkMask = ChunkEntries - 1;

    private readonly ChunkArena _arena;
    private Chunks _chunks;

    /// <param name="arena">Where chunks after the first live: the owning memtable's.</param>
    public ColumnBuffer(ChunkArena arena)
    {
        _arena = arena;
        _chunks = new Chunks(arena);
    }
    private bool _sorted = true;

    public int Count { get; private set; }

    public void Append(long time, long seq, FieldValue value)
    {
        if (_sorted && Count > 0 && ColumnData.CompareKeys(time, seq, _chunks.Time(Count - 1), _chunks.Seq(Count - 1)) <= 0)
        {
            if (TryInsertNearEnd(time, seq, value))
            {
                return;
            }

            _sorted = false;
        }

        _chunks.Append(Count, time, seq, value);
        Count++;
    }

    /// <summary>
    /// Appends one column of a run of points: entry k is (<paramref name="times"/>[k], <paramref name="seqs"/>[k],
    /// <paramref name="values"/>[k × <paramref name="stride"/>]). A null is skipped unless the client gave the point's
    /// sequence number (<paramref name="clientSeq"/>), since only then does it address an existing point. Returns the
    /// entries appended; string values add to <paramref name="strings"/> and <paramref name="stringChars"/>.
    /// </summary>
    public int AppendRun(ReadOnlySpan<long> times, ReadOnlySpan<long> seqs, ReadOnlySpan<FieldValue> values, int stride, ReadOnlySpan<bool> clientSeq, ref long strings, ref long stringChars)
    {
        if (TryPlaceRun(times, seqs, values, stride))
        {
            return times.Length;
        }

        var appended = 0;
        for (var k = 0; k < times.Length; k++)
        {
            var value = values[k * stride];
            if (value.IsNull && !clientSeq[k])
            {
                continue;
            }

            if (value.Type == FieldType.String)
            {
                strings++;
                stringChars += value.AsString.Length;
            }

            Append(times[k], seqs[k], value);
            appended++;
        }

        return appended;
    }

    /// <summary>
    /// Stores a run of numeric or boolean values (no nulls, no strings) with strictly increasing keys in one piece:
    /// after the last entry, or into the gap between two entries among the last <see cref="InsertWindow"/> that it
    /// fits in whole. False, having stored nothing, for any other run.
    /// </summary>
    /// <remarks>
    /// Concurrent writers of the same series commit their batches in any order, so a run often belongs just before
    /// the previous run (W's 5-point runs, about half of them): one move of the entries after the gap instead of
    /// one per point, and chunk-sized copies instead of an entry at a time.
    /// </remarks>
    private bool TryPlaceRun(ReadOnlySpan<long> times, ReadOnlySpan<long> seqs, ReadOnlySpan<FieldValue> values, int stride)
    {
        var n = times.Length;
        if (n == 0)
        {
            return false;
        }

        for (var k = 0; k < n; k++)
        {
            if (values[k * stride].Type is FieldType.Null or FieldType.String
                || (k > 0 && ColumnData.CompareKeys(times[k - 1], seqs[k - 1], times[k], seqs[k]) >= 0))
            {
                return false;
            }
        }

        var place = Count;
        if (_sorted && Count > 0 && ColumnData.CompareKeys(times[0], seqs[0], _chunks.Time(Count - 1), _chunks.Seq(Count - 1)) <= 0)
        {
            // The first entry after the run's first key; the run must end before it and start after the one before.
            var stop = Math.Max(0, Count - InsertWindow);
            while (place > stop && ColumnData.CompareKeys(times[0], seqs[0], _chunks.Time(place - 1), _chunks.Seq(place - 1)) < 0)
            {
                place--;
            }

            if ((place > 0 && ColumnData.CompareKeys(times[0], seqs[0], _chunks.Time(place - 1), _chunks.Seq(place - 1)) <= 0)
                || ColumnData.CompareKeys(times[n - 1], seqs[n - 1], _chunks.Time(place), _chunks.Seq(place)) >= 0)
            {
                return false;
            }
        }

        _chunks.EnsureEntries(Count + n);
        _chunks.ShiftUp(place, Count, n);

        _chunks.WriteRun(place, times, seqs, values, stride);
        Count += n;
        return true;
    }

    /// <summary>
    /// Puts an entry that sorts before the last one into its place when that place is among the last
    /// <see cref="InsertWindow"/> entries, replacing an entry of the same key (the newest arrival wins).
    /// </summary>
    /// <remarks>
    /// Concurrent writers of the same series commit their batches in any order, so a column fills in runs that are
    /// each a little behind the newest: placing them on arrival costs a few moves, where a column left unsorted is
    /// sorted whole (an index array, a comparison sort and a second copy of every chunk) before each flush or read.
    /// Entries further back would make appends quadratic; they leave the column unsorted instead.
    /// </remarks>
    private bool TryInsertNearEnd(long time, long seq, FieldValue value)
    {
        var stop = Math.Max(0, Count - InsertWindow);
        var place = Count - 1;
        while (place >= stop)
        {
            var c = ColumnData.CompareKeys(time, seq, _chunks.Time(place), _chunks.Seq(place));
            if (c == 0)
            {
                _chunks.Set(place, time, seq, value);
                return true;
            }

            if (c > 0)
            {
                break;
            }

            place--;
        }

        place++;
        if (place == stop && stop > 0)
        {
            return false;
        }

        _chunks.Append(Count, _chunks.Time(Count - 1), _chunks.Seq(Count - 1), _chunks.Value(Count - 1));
        _chunks.ShiftUp(place, Count - 1, 1);

        _chunks.Set(place, time, seq, value);
        Count++;
        return true;
    }

    public long ApproxBytes => (Count * (long)EntryBytes) + 64;

    /// <summary>Copies entries with <paramref name="minTime"/> ≤ time ≤ <paramref name="maxTime"/> into <paramref name="output"/>.</summary>
    public void CopyRange(long minTime, long maxTime, ColumnData output)
    {
        var (start, end) = Range(minTime, maxTime);
        output.EnsureCapacity(output.Count + (end - start));
        for (var i = start; i < end; i += _chunks.PieceLength(i, end))
        {
            var length = _chunks.PieceLength(i, end);
            output.AddRange(length, out var times, out var seqs, out var values);
            _chunks.Times(i, length).CopyTo(times);
            _chunks.Seqs(i, length).CopyTo(seqs);
            _chunks.Values(i, values);
        }
    }

    /// <summary>Removes the entries with <paramref name="minTime"/> ≤ time ≤ <paramref name="maxTime"/> (delete from).</summary>
    public void RemoveRange(long minTime, long maxTime)
    {
        var (start, end) = Range(minTime, maxTime);
        if (end == start)
        {
            return;
        }

        // Rare (delete from): rebuild without the range.
        var kept = new Chunks(_arena);
        var n = 0;
        for (var i = 0; i < Count; i++)
        {
            if (i < start || i >= end)
            {
                kept.Append(n++, _chunks.Time(i), _chunks.Seq(i), _chunks.Value(i));
            }
        }

        _chunks.ReturnSlots();
        _chunks = kept;
        Count = n;
    }

    /// <summary>
    /// The times of the entries with <paramref name="minTime"/> ≤ time ≤ <paramref name="maxTime"/>, sorting the
    /// column first; false when there are none.
    /// </summary>
    public bool TryGetTimeRange(long minTime, long maxTime, out long first, out long last)
    {
        var (start, end) = Range(minTime, maxTime);
        (first, last) = start < end ? (_chunks.Time(start), _chunks.Time(end - 1)) : (0, 0);
        return start < end;
    }

    /// <summary>
    /// Hands the entries with <paramref name="minTime"/> ≤ time ≤ <paramref name="maxTime"/> to
    /// <paramref name="fold"/> as plain time and value arrays, a chunk at a time, when they are all int64 or all
    /// float64; returns false, having handed nothing, when they are of another type or mixed (nulls included).
    /// </summary>
    public bool TryFold(long minTime, long maxTime, IBlockFolder fold)
    {
        var (start, end) = Range(minTime, maxTime);
        if (start == end)
        {
            return true;
        }

        var type = _chunks.Type(start);
        if (type is not (FieldType.Int64 or FieldType.Double))
        {
            return false;
        }

        for (var i = start; i < end; i += _chunks.PieceLength(i, end))
        {
            if (MemoryMarshal.AsBytes(_chunks.Types(i, _chunks.PieceLength(i, end))).ContainsAnyExcept((byte)type))
            {
                return false;
            }
        }

        for (var i = start; i < end; i += _chunks.PieceLength(i, end))
        {
            var length = _chunks.PieceLength(i, end);
            var bits = _chunks.Bits(i, length);
            if (type == FieldType.Int64)
            {
                fold.FoldDecoded(_chunks.Times(i, length), bits, []);
            }
            else
            {
                fold.FoldDecoded(_chunks.Times(i, length), [], MemoryMarshal.Cast<long, double>(bits));
            }
        }

        return true;
    }

    /// <summary>The entries [start, end) with <paramref name="minTime"/> ≤ time ≤ <paramref name="maxTime"/>, sorting the column first.</summary>
    private (int Start, int End) Range(long minTime, long maxTime)
    {
        EnsureSorted();
        var start = FirstAtOrAfter(minTime, inclusive: true);
        var end = maxTime < minTime ? start : FirstAtOrAfter(maxTime, inclusive: false);
        return (start, Math.Max(start, end));
    }

    /// <summary>The first entry whose time is ≥ <paramref name="time"/> (<paramref name="inclusive"/>) or &gt; it.</summary>
    private int FirstAtOrAfter(long time, bool inclusive)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var t = _chunks.Time(mid);
            if (inclusive ? t < time : t <= time)
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
        var order = new SortKey[Count];
        for (var i = 0; i < Count; i++)
        {
            order[i] = new SortKey(_chunks.Time(i), _chunks.Seq(i), i);
        }

        Array.Sort(order);
        var sorted = new Chunks(_arena);
        var n = 0;
        for (var k = 0; k < order.Length; k++)
        {
            // A later arrival of the same key replaces the earlier one: keep the last of each run of equal keys.
            if (k + 1 < order.Length && order[k + 1].Time == order[k].Time && order[k + 1].Seq == order[k].Seq)
            {
                continue;
            }

            var i = order[k].Index;
            sorted.Append(n++, _chunks.Time(i), _chunks.Seq(i), _chunks.Value(i));
        }

        _chunks.ReturnSlots();
        _chunks = sorted;
        Count = n;
        _sorted = true;
    }

    private readonly record struct SortKey(long Time, long Seq, int Index) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other)
        {
            var c = ColumnData.CompareKeys(Time, Seq, other.Time, other.Seq);
            return c != 0 ? c : Index.CompareTo(other.Index);
        }
    }
}
