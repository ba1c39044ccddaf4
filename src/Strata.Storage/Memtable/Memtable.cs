using Strata.Core;

namespace Strata.Storage.Memtable;

/// <summary>
/// The in-memory part of one shard: series id → column name → entries. Writers append under the engine's write
/// lock; every access also takes this memtable's own lock so that readers can copy out while writes continue.
/// A frozen memtable takes no more writes and is being flushed to a segment.
/// </summary>
public sealed class Memtable
{
    private readonly Dictionary<uint, Dictionary<string, ColumnBuffer>> _series = [];
    private readonly Lock _lock = new();
    private long _approxBytes;
    private long _entries;

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

    /// <summary>
    /// Appends column <paramref name="column"/> of points [<paramref name="from"/>, <paramref name="to"/>) of a
    /// write under one lock. A null of a point whose sequence number the server assigned is skipped: it addresses
    /// no existing point, so there is nothing to delete.
    /// </summary>
    public void AppendRun(uint seriesId, SeriesPoints points, int column, int from, int to)
    {
        lock (_lock)
        {
            if (!_series.TryGetValue(seriesId, out var columns))
            {
                columns = [];
                _series[seriesId] = columns;
            }

            var name = points.Columns[column];
            if (!columns.TryGetValue(name, out var buffer))
            {
                buffer = new ColumnBuffer();
                columns[name] = buffer;
            }

            var stride = points.Columns.Count;
            var values = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.Values);
            var times = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.Times);
            var seqs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.Seqs);
            var clientSeq = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points.ClientSeq);
            long size = 0, appended = 0;
            for (var p = from; p < to; p++)
            {
                var value = values[(p * stride) + column];
                if (value.IsNull && !clientSeq[p])
                {
                    continue;
                }

                buffer.Append(times[p], seqs[p], value);
                size += ColumnBuffer.EntryBytes + (value.Type == FieldType.String ? 8 + (value.AsString.Length * 2L) : 0);
                appended++;
            }

            _approxBytes += size;
            _entries += appended;
        }
    }

    /// <summary>Copies one column's entries in [minTime, maxTime] (markers included) into <paramref name="output"/>.</summary>
    public bool CopyColumn(uint seriesId, string column, long minTime, long maxTime, ColumnData output)
    {
        lock (_lock)
        {
            if (!_series.TryGetValue(seriesId, out var columns) || !columns.TryGetValue(column, out var buffer))
            {
                return false;
            }

            buffer.CopyRange(minTime, maxTime, output);
            return true;
        }
    }

    /// <summary>Removes a series' entries in a time range, every column (delete from).</summary>
    public void RemoveRange(uint seriesId, long minTime, long maxTime)
    {
        lock (_lock)
        {
            if (_series.TryGetValue(seriesId, out var columns))
            {
                foreach (var buffer in columns.Values)
                {
                    buffer.RemoveRange(minTime, maxTime);
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
                var names = new List<string>(columns.Keys);
                names.Sort(StringComparer.Ordinal);
                result.Add((id, names));
            }

            result.Sort((a, b) => a.Item1.CompareTo(b.Item1));
            return result;
        }
    }
}
