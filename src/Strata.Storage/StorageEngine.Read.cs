using Strata.Storage.Shards;

namespace Strata.Storage;

public sealed partial class StorageEngine
{
    /// <summary>
    /// Opens views of the database's shards that a query over [startMicros, endMicros] must read (0.8's rule: a shard
    /// [s, e) is read when s &lt; end and e &gt; start), ascending by time. The caller disposes every view.
    /// </summary>
    public List<ShardView> OpenShards(uint databaseId, long startMicros, long endMicros)
    {
        var views = new List<ShardView>();
        lock (_writeLock)
        {
            if (!_shards.TryGetValue(databaseId, out var shards))
            {
                return views;
            }

            var database = Meta.FindDatabaseById(databaseId);
            var index = _indexes.GetValueOrDefault(databaseId);
            foreach (var shard in shards.Values)
            {
                if (shard.Overlaps(startMicros, endMicros))
                {
                    var space = shard.Space;
                    views.Add(shard.OpenView(database is null || index is null ? null : seriesId =>
                    {
                        var name = index.NameOf(seriesId);
                        return name is not null && (SpaceFor(database, name)?.Name ?? ShardSpaces.DefaultSpace) == space;
                    }));
                }
            }

            views.Sort((a, b) => a.Shard.StartMicros.CompareTo(b.Shard.StartMicros));
        }

        return views;
    }

    /// <summary>Drops the entries of one segment's column that a tombstone masks.</summary>
    private static ColumnData ApplyTombstones(ColumnData data, System.Collections.Immutable.ImmutableArray<Tombstone> tombstones, long segmentNumber, uint seriesId)
    {
        var relevant = false;
        foreach (var t in tombstones)
        {
            relevant |= t.SeriesId == seriesId && segmentNumber <= t.SegmentsThrough;
        }

        if (!relevant || data.Count == 0)
        {
            return data;
        }

        var kept = new ColumnData(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var masked = false;
            foreach (var t in tombstones)
            {
                if (t.Masks(segmentNumber, seriesId, data.Times[i]))
                {
                    masked = true;
                    break;
                }
            }

            if (!masked)
            {
                kept.Add(data.Times[i], data.Seqs[i], data.Values[i]);
            }
        }

        return kept;
    }

    /// <summary>
    /// Reads one column of one series from one shard view: entries with minTime ≤ time ≤ maxTime, ascending by
    /// (time, seq), newest write winning per key, deleted values removed.
    /// </summary>
    public static void ReadColumn(ShardView view, uint seriesId, string column, long minTime, long maxTime, ColumnData output)
    {
        if (view.Serves is { } serves && !serves(seriesId))
        {
            output.Clear();
            return;
        }

        var sources = new List<ColumnData>(view.Segments.Length + 2);
        foreach (var segment in view.Segments)
        {
            if (segment.GetBlocks(seriesId, column).IsEmpty)
            {
                continue;
            }

            var data = new ColumnData();
            segment.ReadColumn(seriesId, column, minTime, maxTime, data);
            sources.Add(ApplyTombstones(data, view.Tombstones, segment.Number, seriesId));
        }

        if (view.Flushing is { } flushing)
        {
            var data = new ColumnData();
            if (flushing.CopyColumn(seriesId, column, minTime, maxTime, data))
            {
                sources.Add(data);
            }
        }

        var active = new ColumnData();
        if (view.Active.CopyColumn(seriesId, column, minTime, maxTime, active))
        {
            sources.Add(active);
        }

        ColumnData.Merge(sources, output, keepMarkers: false);
    }
}
