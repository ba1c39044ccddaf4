using Strata.Core;

namespace Strata.Storage;

/// <summary>The newest row of a series: its key and the columns that have a value there.</summary>
public sealed record LastPoint(long Time, long Seq, string[] Columns, FieldValue[] Values);

/// <summary>
/// The newest row of each recently queried series, kept exact by every write, so <c>select * from /.*/ limit 1</c>
/// (the dashboards' "current value") answers without decoding a block (issue 6, G5).
/// <para>
/// An entry is created only by a query that read the series' newest row over every shard from the query's start on
/// (<see cref="Store"/>), and only if nothing changed the database since the query began (a generation per
/// database). From then on <see cref="Apply"/> keeps it current: a newer key replaces it, the same key merges into it
/// (a null removes a column), an older key leaves it. Deletes, drops, retention, shard drops and shard-space changes
/// remove entries instead of recomputing them.
/// </para>
/// </summary>
internal sealed class LastPoints
{
    /// <summary>Keyed by <see cref="Key"/>: a 64-bit key hashes and compares in a few instructions, a tuple through its comparer.</summary>
    private readonly Dictionary<ulong, Entry> _entries = [];
    private readonly Dictionary<uint, long> _generations = [];
    private readonly Lock _lock = new();

    /// <summary>Entries kept at most (~150 bytes each for one column): past it, queries scan as without the cache.</summary>
    public const int MaxEntries = 1_000_000;

    private sealed record Entry(LastPoint Point, int SpaceVersion);

    public long Generation(uint database)
    {
        lock (_lock)
        {
            return _generations.GetValueOrDefault(database);
        }
    }

    public bool TryGet(uint database, uint series, int spaceVersion, out LastPoint point)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(Key(database, series), out var entry) && entry.SpaceVersion == spaceVersion)
            {
                point = entry.Point;
                return true;
            }
        }

        point = null!;
        return false;
    }

    /// <summary>Keeps the row a query computed, unless the database changed since <paramref name="generation"/>.</summary>
    public void Store(uint database, uint series, LastPoint point, long generation, int spaceVersion)
    {
        lock (_lock)
        {
            if (_generations.GetValueOrDefault(database) == generation && (_entries.Count < MaxEntries || _entries.ContainsKey(Key(database, series))))
            {
                _entries[Key(database, series)] = new Entry(point, spaceVersion);
            }
        }
    }

    /// <summary>
    /// Brings the entries of a write's series up to date (called with the points' keys already assigned):
    /// <paramref name="series"/>[i] holds the points of <paramref name="entries"/>[i].
    /// </summary>
    public void Apply(uint database, ReadOnlySpan<Index.SeriesEntry> entries, List<SeriesPoints> series)
    {
        lock (_lock)
        {
            _generations[database] = _generations.GetValueOrDefault(database) + 1;
            for (var i = 0; i < entries.Length && _entries.Count > 0; i++)
            {
                ApplyLocked(database, entries[i].Id, series[i]);
            }
        }
    }

    private void ApplyLocked(uint database, uint series, SeriesPoints points)
    {
        if (!_entries.TryGetValue(Key(database, series), out var entry))
        {
            return;
        }

        // The batch's newest key.
        long time = long.MinValue, seq = long.MinValue;
        for (var p = 0; p < points.PointCount; p++)
        {
            if (ColumnData.CompareKeys(points.Times[p], points.Seqs[p], time, seq) > 0)
            {
                (time, seq) = (points.Times[p], points.Seqs[p]);
            }
        }

        var order = ColumnData.CompareKeys(time, seq, entry.Point.Time, entry.Point.Seq);
        if (order < 0)
        {
            return;
        }

        if (order > 0 && OnlyPointAt(points, time, seq) is var newest and >= 0)
        {
            // The common case, a newer point: its non-null values are the row (none: the newest row is unknown here).
            if (RowOf(points, newest, time, seq) is { } newestRow)
            {
                _entries[Key(database, series)] = entry with { Point = newestRow };
            }
            else
            {
                _entries.Remove(Key(database, series));
            }

            return;
        }

        var row = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        if (order == 0)
        {
            for (var c = 0; c < entry.Point.Columns.Length; c++)
            {
                row[entry.Point.Columns[c]] = entry.Point.Values[c];
            }
        }

        for (var p = 0; p < points.PointCount; p++)
        {
            if (points.Times[p] != time || points.Seqs[p] != seq)
            {
                continue;
            }

            for (var c = 0; c < points.Columns.Count; c++)
            {
                var value = points.GetValue(p, c);
                if (value.IsNull)
                {
                    row.Remove(points.Columns[c]);
                }
                else
                {
                    row[points.Columns[c]] = value;
                }
            }
        }

        if (row.Count == 0)
        {
            // Every value at the newest key was deleted: the newest row is now an older one, unknown here.
            _entries.Remove(Key(database, series));
            return;
        }

        _entries[Key(database, series)] = entry with { Point = new LastPoint(time, seq, [.. row.Keys], [.. row.Values]) };
    }

    /// <summary>Forgets one series (delete, drop series).</summary>
    public void Forget(uint database, uint series)
    {
        lock (_lock)
        {
            _generations[database] = _generations.GetValueOrDefault(database) + 1;
            _entries.Remove(Key(database, series));
        }
    }

    /// <summary>Forgets everything (shard drops, database drops): rare enough not to be precise about.</summary>
    public void ForgetAll()
    {
        lock (_lock)
        {
            foreach (var database in _generations.Keys.ToList())
            {
                _generations[database]++;
            }

            _entries.Clear();
        }
    }

    /// <summary>The index of the one point of the batch at (time, seq), or -1 when there are several.</summary>
    private static int OnlyPointAt(SeriesPoints points, long time, long seq)
    {
        var found = -1;
        for (var p = 0; p < points.PointCount; p++)
        {
            if (points.Times[p] == time && points.Seqs[p] == seq)
            {
                if (found >= 0)
                {
                    return -1;
                }

                found = p;
            }
        }

        return found;
    }

    /// <summary>The non-null values of one point as a row, or null when it has none.</summary>
    private static LastPoint? RowOf(SeriesPoints points, int point, long time, long seq)
    {
        var count = 0;
        for (var c = 0; c < points.Columns.Count; c++)
        {
            count += points.GetValue(point, c).IsNull ? 0 : 1;
        }

        if (count == 0)
        {
            return null;
        }

        var columns = new string[count];
        var values = new FieldValue[count];
        var k = 0;
        for (var c = 0; c < points.Columns.Count; c++)
        {
            if (points.GetValue(point, c) is { IsNull: false } value)
            {
                columns[k] = points.Columns[c];
                values[k++] = value;
            }
        }

        return new LastPoint(time, seq, columns, values);
    }

    private static ulong Key(uint database, uint series) => ((ulong)database << 32) | series;
}
