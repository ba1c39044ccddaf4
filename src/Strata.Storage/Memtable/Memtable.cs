using Strata.Core;

namespace Strata.Storage.Memtable;

/// <summary>
/// The in-memory part of one shard: series id → column name → entries. Writers append under the engine's write
/// lock; every access also takes this memtable's own lock so that readers can copy out while writes continue.
/// A frozen memtable takes no more writes and is being flushed to a segment.
/// <para>
/// Its bulk lives in native memory (<see cref="ChunkArena"/>), freed when the last reference goes: the shard holds
/// one while the memtable is active or being flushed, each <see cref="Shards.ShardView"/> one while a read uses it.
/// Once released, every access throws instead of reading freed memory.
/// </para>
/// </summary>
public sealed class Memtable
{
    private readonly Dictionary<uint, SeriesColumns> _series = [];
    private readonly Lock _lock = new();
    private readonly ChunkArena _arena = new();
    private long _approxBytes;
    private long _entries;
    private SeqRange _seqs = SeqRange.Empty;
    private int _references = 1;
    private bool _released;

    public long ApproxBytes => Interlocked.Read(ref _approxBytes);

    /// <summary>Entries appended (values and deletion markers), including ones a later write replaced.</summary>
    public long Entries => Interlocked.Read(ref _entries);

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _series.Count == 0;
            }
        }
    }

    /// <summary>Native bytes the memtable has taken for its chunks.</summary>
    public long ReservedBytes
    {
        get
        {
            lock (_lock)
            {
                return _arena.ReservedBytes;
            }
        }
    }

    /// <summary>Adds a reference for a reader; false once the memtable is released.</summary>
    public bool TryAddReference()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Drops a reference; the last one frees the memtable's memory.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            lock (_lock)
            {
                _released = true;
                _series.Clear();
                _arena.Dispose();
            }
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("BUG: memtable released more often than referenced");
        }
    }

    /// <summary>
    /// Takes this memtable's lock for a sequence of <see cref="AppendRunLocked"/> calls (see <see cref="MemtableAppender"/>).
    /// </summary>
    internal void EnterAppend()
    {
        _lock.Enter();
        if (_released)
        {
            _lock.Exit();
            throw new InvalidOperationException("BUG: write to a released memtable");
        }
    }

    internal void ExitAppend() => _lock.Exit();

    /// <summary>
    /// Appends points [<paramref name="from"/>, <paramref name="to"/>) of a write, every column, with the lock held
    /// (<see cref="EnterAppend"/>). A null of a point whose sequence number the server assigned is skipped: it
    /// addresses no existing point, so there is nothing to delete. Returns the bytes added to <see cref="ApproxBytes"/>.
    /// </summary>
    internal long AppendRunLocked(uint seriesId, SeriesPoints points, int from, int to)
    {
        if (!_series.TryGetValue(seriesId, out var columns))
        {
            columns = new SeriesColumns(_arena);
            _series[seriesId] = columns;
        }

        var stride = points.Columns.Count;
        var values = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.Values);
        var times = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.Times)[from..to];
        var seqs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.Seqs)[from..to];
        var clientSeq = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.ClientSeq)[from..to];
        _seqs.Add(seqs);
        long stringChars = 0, appended = 0, strings = 0;
        for (var c = 0; c < stride; c++)
        {
            var buffer = columns.GetOrAdd(points.Columns[c], c);
            appended += buffer.AppendRun(times, seqs, values[((from * stride) + c)..], stride, clientSeq, ref strings, ref stringChars);
        }

        var bytes = (appended * ColumnBuffer.EntryBytes) + (strings * 8) + (stringChars * 2);
        _approxBytes += bytes;
        _entries += appended;
        return bytes;
    }

    /// <summary>Copies one column's entries in [minTime, maxTime] (markers included) into <paramref name="output"/>.</summary>
    public bool CopyColumn(uint seriesId, string column, long minTime, long maxTime, ColumnData output)
    {
        lock (_lock)
        {
            if (_released)
            {
                throw new InvalidOperationException("BUG: read of a released memtable");
            }

            if (!_series.TryGetValue(seriesId, out var columns) || columns.Find(column) is not { } buffer)
            {
                return false;
            }

            buffer.CopyRange(minTime, maxTime, output);
            return true;
        }
    }

    /// <summary>
    /// Folds one column's entries in [minTime, maxTime] into <paramref name="fold"/> as plain arrays when they are all
    /// int64 or all float64 and <paramref name="elsewhere"/> holds nothing in their time span with a sequence number
    /// in the range of this memtable's (so no other source has a value for the same point); decided and done under
    /// the lock, so a write cannot slip in between.
    /// </summary>
    public MemtableFold TryFoldColumn<TElsewhere>(uint seriesId, string column, long minTime, long maxTime, IBlockFolder fold, in TElsewhere elsewhere)
        where TElsewhere : struct, ITimeSpanCheck
    {
        lock (_lock)
        {
            if (_released)
            {
                throw new InvalidOperationException("BUG: read of a released memtable");
            }

            if (!_series.TryGetValue(seriesId, out var columns) || columns.Find(column) is not { } buffer
                || !buffer.TryGetTimeRange(minTime, maxTime, out var first, out var last))
            {
                return MemtableFold.Absent;
            }

            return !elsewhere.Holds(first, last, _seqs) && buffer.TryFold(minTime, maxTime, fold) ? MemtableFold.Folded : MemtableFold.NotFolded;
        }
    }

    /// <summary>Removes a series' entries in a time range, every column (delete from).</summary>
    public void RemoveRange(uint seriesId, long minTime, long maxTime)
    {
        lock (_lock)
        {
            if (_series.TryGetValue(seriesId, out var columns))
            {
                for (var c = 0; c < columns.Count; c++)
                {
                    columns.Buffer(c).RemoveRange(minTime, maxTime);
                }
            }
        }
    }

    /// <summary>Removes a series (drop series).</summary>
    public void RemoveSeries(uint seriesId)
    {
        lock (_lock)
        {
            _series.Remove(seriesId);
        }
    }

    /// <summary>Series ids ascending, each with its column names ordinal-sorted: the order a segment is written in.</summary>
    public List<(uint SeriesId, List<string> Columns)> SnapshotLayout()
    {
        lock (_lock)
        {
            var result = new List<(uint, List<string>)>(_series.Count);
            foreach (var (id, columns) in _series)
            {
                var names = new List<string>(columns.Count);
                for (var c = 0; c < columns.Count; c++)
                {
                    names.Add(columns.Name(c));
                }

                names.Sort(StringComparer.Ordinal);
                result.Add((id, names));
            }

            result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
            return result;
        }
    }

    /// <summary>
    /// The column buffers of one series. A series has a handful of columns, found faster (and kept smaller) in two
    /// arrays than in a dictionary: by reference first, since a write's column names are interned.
    /// </summary>
    private sealed class SeriesColumns(ChunkArena arena)
    {
        private string[] _names = new string[1];
        private ColumnBuffer[] _buffers = new ColumnBuffer[1];

        public int Count { get; private set; }

        public string Name(int c) => _names[c];

        public ColumnBuffer Buffer(int c) => _buffers[c];

        /// <summary>The buffer of a column; <paramref name="hint"/> is where it is looked for first.</summary>
        public ColumnBuffer? Find(string name, int hint = 0)
        {
            if (hint < Count && ReferenceEquals(_names[hint], name))
            {
                return _buffers[hint];
            }

            for (var c = 0; c < Count; c++)
            {
                if (ReferenceEquals(_names[c], name))
                {
                    return _buffers[c];
                }
            }

            for (var c = 0; c < Count; c++)
            {
                if (string.Equals(_names[c], name, StringComparison.Ordinal))
                {
                    return _buffers[c];
                }
            }

            return null;
        }

        public ColumnBuffer GetOrAdd(string name, int hint)
        {
            if (Find(name, hint) is { } found)
            {
                return found;
            }

            if (Count == _names.Length)
            {
                Array.Resize(ref _names, Count * 2);
                Array.Resize(ref _buffers, Count * 2);
            }

            var buffer = new ColumnBuffer(arena);
            _names[Count] = name;
            _buffers[Count] = buffer;
            Count++;
            return buffer;
        }
    }
}

/// <summary>What <see cref="Memtable.TryFoldColumn"/> did.</summary>
public enum MemtableFold
{
    /// <summary>The memtable holds no entry of the column in the range.</summary>
    Absent,

    /// <summary>Every entry in the range went to the folder.</summary>
    Folded,

    /// <summary>Nothing went to the folder: the entries are not all of one numeric type, or another source overlaps them.</summary>
    NotFolded,
}

/// <summary>
/// Whether some other source may hold an entry of the column being read between two times (inclusive) with a
/// sequence number between two others (inclusive): the only entries that could share a key with the reader's.
/// </summary>
public interface ITimeSpanCheck
{
    bool Holds(long first, long last, SeqRange seqs);
}
