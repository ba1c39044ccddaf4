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
    public static void ReadColumn(ShardView view, uint seriesId, string column, long minTime, long maxTime, ColumnData output) =>
        ReadColumn(view, seriesId, column, minTime, maxTime, output, fold: null);

    /// <summary>
    /// As <see cref="ReadColumn(ShardView, uint, string, long, long, ColumnData)"/>, but first offers
    /// <paramref name="fold"/> every segment block it may answer from the block's statistics alone: a numeric block
    /// wholly inside the range that no other segment, memtable or tombstone touches, so its values are exactly the
    /// points it holds. Blocks the callback accepts (returns true for) are left out of <paramref name="output"/>.
    /// </summary>
    public static void ReadColumn(ShardView view, uint seriesId, string column, long minTime, long maxTime, ColumnData output, IBlockFolder? fold) =>
        ReadColumn(view, seriesId, column, minTime, maxTime, output, fold, default);

    /// <param name="limit">
    /// When set, the caller needs only the newest (or, ascending, the oldest) <see cref="ReadLimit.Entries"/> entries:
    /// a sole segment then decodes just the blocks at that end (the newest N rows of several columns are among the
    /// newest N entries of each, so the rows come out the same).
    /// </param>
    public static void ReadColumn(ShardView view, uint seriesId, string column, long minTime, long maxTime, ColumnData output, IBlockFolder? fold, ReadLimit limit)
    {
        if (view.Serves is { } serves && !serves(seriesId))
        {
            output.Clear();
            return;
        }

        var sources = new List<ColumnData>(view.Segments.Length + 2);
        ColumnData? flushing = null;
        if (view.Flushing is { } flushingTable)
        {
            flushing = new ColumnData();
            if (!flushingTable.CopyColumn(seriesId, column, minTime, maxTime, flushing))
            {
                flushing = null;
            }
        }

        // An aggregate takes the active memtable's entries straight from its chunks when no other source has a point
        // in their time span (the usual case: recent points, older ones in segments): no copy, no merge.
        ColumnData? active = null;
        if (view.Active is { } activeTable
            && (fold is not { FoldsDecoded: true } || flushing is { Count: > 0 }
                || activeTable.TryFoldColumn(seriesId, column, minTime, maxTime, fold, new SegmentsHold(view, seriesId, column)) == Memtable.MemtableFold.NotFolded))
        {
            active = new ColumnData();
            if (!activeTable.CopyColumn(seriesId, column, minTime, maxTime, active))
            {
                active = null;
            }
        }

        // The common read: one segment holds the column, no memtable or tombstone touches it. Decode straight into
        // the caller's (reused) buffer instead of into a fresh one that is then merged (QueryBenchmarks).
        if (flushing is null && active is null && SoleSegment(view, seriesId, column) is { } sole && !HasTombstone(view.Tombstones, sole.Number, seriesId))
        {
            output.Clear();
            var blocks = sole.GetBlocks(seriesId, column);
            var (first, end) = limit.Entries > 0 ? BlocksAtEnd(blocks, minTime, maxTime, limit) : (0, blocks.Length);
            foreach (var block in blocks[first..end])
            {
                if (block.Type == Core.FieldType.Null || block.MaxTime < minTime || block.MinTime > maxTime)
                {
                    continue;
                }

                if (fold is not null && block.HasStats)
                {
                    if (block.MinTime >= minTime && block.MaxTime <= maxTime && fold.FoldStatistics(block))
                    {
                        continue;
                    }

                    if (fold.FoldsDecoded)
                    {
                        FoldDecoded(sole, block, minTime, maxTime, fold);
                        continue;
                    }
                }

                sole.ReadBlock(block, minTime, maxTime, output);
            }

            return;
        }

        // The copies' sequence-number ranges matter only to blocks offered to the folder.
        var flushingCopy = fold is null ? default : new MemtableCopy(flushing);
        var activeCopy = fold is null ? default : new MemtableCopy(active);
        foreach (var segment in view.Segments)
        {
            var blocks = segment.GetBlocks(seriesId, column);
            if (blocks.IsEmpty)
            {
                continue;
            }

            var data = new ColumnData();
            if (fold is not null && !HasTombstone(view.Tombstones, segment.Number, seriesId))
            {
                foreach (var block in blocks)
                {
                    if (block.MaxTime < minTime || block.MinTime > maxTime)
                    {
                        continue;
                    }

                    // A block no other source overlaps holds exactly its points: fold it from its statistics, or
                    // decoded, as from a sole segment (segments flushed one after another rarely overlap).
                    if (block.HasStats && !TouchedElsewhere(view, segment, seriesId, column, block, flushingCopy, activeCopy))
                    {
                        if (block.MinTime >= minTime && block.MaxTime <= maxTime && fold.FoldStatistics(block))
                        {
                            continue;
                        }

                        if (fold.FoldsDecoded)
                        {
                            FoldDecoded(segment, block, minTime, maxTime, fold);
                            continue;
                        }
                    }

                    segment.ReadBlock(block, minTime, maxTime, data);
                }
            }
            else
            {
                segment.ReadColumn(seriesId, column, minTime, maxTime, data);
            }

            sources.Add(ApplyTombstones(data, view.Tombstones, segment.Number, seriesId));
        }

        if (flushing is not null)
        {
            sources.Add(flushing);
        }

        if (active is not null)
        {
            sources.Add(active);
        }

        ColumnData.Merge(sources, output, keepMarkers: false);
    }

    /// <summary>
    /// Whether a segment of the view whose sequence numbers reach into a range has a block of the column reaching into
    /// a time span (<see cref="Memtable.Memtable.TryFoldColumn"/>).
    /// </summary>
    private readonly struct SegmentsHold(ShardView view, uint seriesId, string column) : Memtable.ITimeSpanCheck
    {
        public bool Holds(long first, long last, SeqRange seqs)
        {
            foreach (var segment in view.Segments)
            {
                if (!segment.Seqs.Meets(seqs))
                {
                    continue;
                }

                foreach (var block in segment.GetBlocks(seriesId, column))
                {
                    if (block.MaxTime >= first && block.MinTime <= last)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    private static void FoldDecoded(Segments.SegmentReader segment, Segments.BlockMeta block, long minTime, long maxTime, IBlockFolder fold)
    {
        // The folder reads the decoded arrays in place: no copy, no per-block buffer.
        var scratch = Segments.DecodeScratch.Rent();
        try
        {
            var count = segment.DecodeNumeric(block, scratch);
            ReadOnlySpan<long> times = scratch.Times.AsSpan(0, count);
            var from = 0;
            var to = count;
            while (from < to && times[from] < minTime)
            {
                from++;
            }

            while (to > from && times[to - 1] > maxTime)
            {
                to--;
            }

            if (block.Type == Core.FieldType.Int64)
            {
                fold.FoldDecoded(times[from..to], scratch.Ints.AsSpan(from, to - from), []);
            }
            else
            {
                fold.FoldDecoded(times[from..to], [], scratch.Doubles.AsSpan(from, to - from));
            }
        }
        finally
        {
            Segments.DecodeScratch.Return(scratch);
        }
    }

    /// <summary>The block range [first, end) that holds the limit's entries: whole in-range blocks counted from that end.</summary>
    private static (int First, int End) BlocksAtEnd(ReadOnlySpan<Segments.BlockMeta> blocks, long minTime, long maxTime, ReadLimit limit)
    {
        var have = 0L;
        if (limit.Ascending)
        {
            var end = 0;
            while (end < blocks.Length && have < limit.Entries)
            {
                have += Counts(blocks[end++], minTime, maxTime);
            }

            return (0, end);
        }

        var first = blocks.Length;
        while (first > 0 && have < limit.Entries)
        {
            have += Counts(blocks[--first], minTime, maxTime);
        }

        return (first, blocks.Length);
    }

    /// <summary>Entries a block surely contributes: all of a value block wholly in range, else none.</summary>
    private static int Counts(Segments.BlockMeta block, long minTime, long maxTime) =>
        block.Type != Core.FieldType.Null && block.MinTime >= minTime && block.MaxTime <= maxTime ? block.Count : 0;

    /// <summary>The only segment of the view holding the column, or null when none or several do.</summary>
    private static Segments.SegmentReader? SoleSegment(ShardView view, uint seriesId, string column)
    {
        Segments.SegmentReader? sole = null;
        foreach (var segment in view.Segments)
        {
            if (!segment.GetBlocks(seriesId, column).IsEmpty)
            {
                if (sole is not null)
                {
                    return null;
                }

                sole = segment;
            }
        }

        return sole;
    }

    private static bool HasTombstone(System.Collections.Immutable.ImmutableArray<Tombstone> tombstones, long segmentNumber, uint seriesId)
    {
        foreach (var t in tombstones)
        {
            if (t.SeriesId == seriesId && segmentNumber <= t.SegmentsThrough)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when another segment or a memtable may hold an entry with the key of one of the block's: one within the
    /// block's time span with a sequence number within the owner segment's range. Server-assigned sequence numbers
    /// grow with every write and a memtable is flushed whole, so segments flushed one after another have ranges that
    /// do not meet even where their times do (concurrent writers commit points a little out of time order).
    /// </summary>
    private static bool TouchedElsewhere(ShardView view, Segments.SegmentReader owner, uint seriesId, string column, Segments.BlockMeta block, in MemtableCopy flushing, in MemtableCopy active)
    {
        foreach (var segment in view.Segments)
        {
            if (ReferenceEquals(segment, owner) || !segment.Seqs.Meets(owner.Seqs))
            {
                continue;
            }

            foreach (var other in segment.GetBlocks(seriesId, column))
            {
                if (other.MaxTime >= block.MinTime && other.MinTime <= block.MaxTime)
                {
                    return true;
                }
            }
        }

        return flushing.Overlaps(owner, block) || active.Overlaps(owner, block);
    }

    /// <summary>A memtable's entries copied for a read, with the range of their sequence numbers.</summary>
    private readonly struct MemtableCopy
    {
        private readonly ColumnData? _data;
        private readonly SeqRange _seqs;

        public MemtableCopy(ColumnData? data)
        {
            _data = data;
            _seqs = SeqRange.Empty;
            _seqs.Add(data is null ? [] : data.Seqs);
        }

        /// <summary>Whether an entry may share a key with one of the block's: within its time span and its segment's sequence numbers.</summary>
        public bool Overlaps(Segments.SegmentReader owner, Segments.BlockMeta block) =>
            _data is { Count: > 0 } data && data.Times[^1] >= block.MinTime && data.Times[0] <= block.MaxTime
            && _seqs.Meets(owner.Seqs);
    }
}

/// <summary>How many entries a read needs at most, from which end (see <see cref="StorageEngine.ReadColumn(ShardView, uint, string, long, long, ColumnData, IBlockFolder?, ReadLimit)"/>); 0 entries = all.</summary>
public readonly record struct ReadLimit(long Entries, bool Ascending);
