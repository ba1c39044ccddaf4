using System.Collections.Immutable;
using System.Diagnostics;
using Strata.Storage.Segments;
using Strata.Storage.Shards;

namespace Strata.Storage;

public sealed partial class StorageEngine
{
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private int _flushScheduled;
    private long _nextFileNumber = 1;
    private long _walCoveredThrough;
    private long _checkpointSequenceCounter;
    private List<Checkpoint.IndexRecord> _checkpointIndexes = [];

    /// <summary>Starts a background flush when the memtables passed their budget.</summary>
    private void MaybeScheduleFlush()
    {
        // While a flush is scheduled or running there is nothing to decide: skip summing the memtables, which takes
        // the write lock again right after the write released it.
        if (Volatile.Read(ref _flushScheduled) == 1 || MemtableBytes() < Options.MemtableBytes || Interlocked.Exchange(ref _flushScheduled, 1) == 1)
        {
            return;
        }

        // A thread of its own: a flush keeps its thread for up to a second, and on two cores the thread pool has two
        // workers before it injects more, so a flush on one of them left requests queued behind it (write latencies
        // of 100–170 ms right after each flush began).
        _ = Task.Factory.StartNew(() =>
        {
            try
            {
                Flush();
            }
            catch (Exception e)
            {
                StorageLog.FlushFailed(_logger, e);
            }
            finally
            {
                Volatile.Write(ref _flushScheduled, 0);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Approximate bytes held by all active memtables.</summary>
    public long MemtableBytes()
    {
        long total = 0;
        lock (_writeLock)
        {
            foreach (var shards in _shards.Values)
            {
                foreach (var shard in shards.Values)
                {
                    total += shard.Active.ApproxBytes;
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Flushes every memtable into new segment files, commits them in the checkpoint and deletes the WAL files they
    /// cover; then compacts shards that have too many segments. Runs one at a time.
    /// </summary>
    public void Flush()
    {
        _maintenance.Wait();
        try
        {
            FlushLocked();
            CompactLocked();
        }
        finally
        {
            _maintenance.Release();
        }
    }

    /// <param name="atFreeze">
    /// Runs under the write lock right after the memtables are frozen: the flush point, where a database backup
    /// captures its shards' tombstones so that they match the segments the flush is about to complete.
    /// </param>
    private void FlushLocked(Action? atFreeze = null)
    {
        var clock = Stopwatch.StartNew();
        List<(Shard Shard, Memtable.Memtable Frozen, long Number)> frozen = [];
        long closedWal;
        lock (_writeLock)
        {
            closedWal = _wal.Rotate();
            foreach (var shards in _shards.Values)
            {
                foreach (var shard in shards.Values)
                {
                    var number = Interlocked.Read(ref _nextFileNumber);
                    if (shard.Freeze(number) is { } memtable)
                    {
                        Interlocked.Increment(ref _nextFileNumber);
                        frozen.Add((shard, memtable, number));
                    }
                }
            }

            _checkpointSequenceCounter = _sequenceCounter;
            _checkpointIndexes = SnapshotIndexes();
            atFreeze?.Invoke();
        }

        long values = 0, bytes = 0;
        try
        {
            foreach (var (shard, memtable, number) in frozen)
            {
                var segment = WriteSegment(shard, memtable, number);
                if (segment is not null)
                {
                    values += segment.ValueCount;
                    bytes += segment.SizeBytes;
                }

                shard.CompleteFlush(segment);
            }
        }
        finally
        {
            foreach (var (_, memtable, _) in frozen)
            {
                memtable.Release();
            }
        }

        _walCoveredThrough = closedWal;
        SaveCheckpoint();
        DeleteCoveredWalFiles(closedWal);
        Metrics.Flushes++;
        StorageLog.Flushed(_logger, frozen.Count, values, bytes, clock.ElapsedMilliseconds);
    }

    private SegmentReader? WriteSegment(Shard shard, Memtable.Memtable memtable, long number)
    {
        Directory.CreateDirectory(shard.Directory);
        var path = Path.Combine(shard.Directory, SegmentFormat.FileName(number));
        var data = new ColumnData(1024);
        using (var writer = new SegmentWriter(path))
        {
            foreach (var (seriesId, columns) in memtable.SnapshotLayout())
            {
                foreach (var column in columns)
                {
                    data.Clear();
                    memtable.CopyColumn(seriesId, column, long.MinValue, long.MaxValue, data);
                    writer.AddColumn(seriesId, column, data);
                }
            }

            if (writer.ValueCount == 0)
            {
                return null;
            }

            writer.Finish();
        }

        return SegmentReader.Open(path, number);
    }

    /// <summary>Merges all segments of every shard that has reached the compaction trigger into one.</summary>
    private void CompactLocked()
    {
        List<Shard> candidates = [];
        lock (_writeLock)
        {
            foreach (var shards in _shards.Values)
            {
                foreach (var shard in shards.Values)
                {
                    if (shard.Segments.Length >= Options.CompactionTrigger)
                    {
                        candidates.Add(shard);
                    }
                }
            }
        }

        foreach (var shard in candidates)
        {
            CompactShard(shard);
        }

        if (candidates.Count > 0)
        {
            SaveCheckpoint();
        }
    }

    private void CompactShard(Shard shard)
    {
        var inputs = shard.Segments;
        var tombstones = shard.Tombstones;
        var index = GetIndex(shard.DatabaseId);
        var number = Interlocked.Increment(ref _nextFileNumber) - 1;
        var path = Path.Combine(shard.Directory, SegmentFormat.FileName(number));

        // Layout: every live series id with the union of its columns across inputs.
        var layout = new SortedDictionary<uint, SortedSet<string>>();
        foreach (var segment in inputs)
        {
            foreach (var seriesId in segment.SeriesIds)
            {
                if (index is null || !index.ContainsId(seriesId))
                {
                    continue; // dropped series: its data goes away here
                }

                if (!layout.TryGetValue(seriesId, out var columns))
                {
                    columns = new SortedSet<string>(StringComparer.Ordinal);
                    layout[seriesId] = columns;
                }

                columns.UnionWith(segment.GetColumns(seriesId));
            }
        }

        var sources = new List<ColumnData>(inputs.Length);
        var merged = new ColumnData(1024);
        SegmentReader output;
        using (var writer = new SegmentWriter(path))
        {
            foreach (var (seriesId, columns) in layout)
            {
                foreach (var column in columns)
                {
                    sources.Clear();
                    foreach (var segment in inputs)
                    {
                        if (segment.GetBlocks(seriesId, column).IsEmpty)
                        {
                            continue;
                        }

                        var data = new ColumnData();
                        segment.ReadColumn(seriesId, column, long.MinValue, long.MaxValue, data);
                        sources.Add(ApplyTombstones(data, tombstones, segment.Number, seriesId));
                    }

                    // The inputs are the oldest segments, so nothing older remains for a deletion marker to mask.
                    ColumnData.Merge(sources, merged, keepMarkers: false);
                    writer.AddColumn(seriesId, column, merged);
                }
            }

            writer.Finish();
        }

        output = SegmentReader.Open(path, number);
        shard.ReplaceCompacted(inputs, output, tombstones);
        foreach (var old in inputs)
        {
            old.Release();
        }

        Metrics.Compactions++;
        StorageLog.Compacted(_logger, inputs.Length, shard.Id, output.SizeBytes);

        // Old files go once the new checkpoint no longer lists them; readers still holding them keep their handles.
        _retiredSegments.AddRange(ImmutableArray.CreateRange(inputs, s => s.Path));
    }

    private readonly List<string> _retiredSegments = [];

    private List<Checkpoint.IndexRecord> SnapshotIndexes()
    {
        var result = new List<Checkpoint.IndexRecord>(_indexes.Count);
        foreach (var (databaseId, index) in _indexes)
        {
            var series = new List<Checkpoint.SeriesRecord>();
            foreach (var (id, name, columns) in index.Snapshot())
            {
                series.Add(new Checkpoint.SeriesRecord(id, name, columns));
            }

            result.Add(new Checkpoint.IndexRecord(databaseId, index.NextId, series));
        }

        return result;
    }

    /// <summary>Writes the checkpoint (caller holds <see cref="_maintenance"/>), then deletes retired segment files.</summary>
    private void SaveCheckpoint()
    {
        var checkpoint = new Checkpoint
        {
            WalCoveredThrough = _walCoveredThrough,
            SequenceCounter = _checkpointSequenceCounter,
            NextFileNumber = Interlocked.Read(ref _nextFileNumber),
            Indexes = _checkpointIndexes,
        };

        lock (_writeLock)
        {
            checkpoint.NextShardId = _nextShardId;
            foreach (var shards in _shards.Values)
            {
                foreach (var shard in shards.Values)
                {
                    var segments = shard.Segments;
                    if (segments.IsEmpty)
                    {
                        continue;
                    }

                    var numbers = new List<long>(segments.Length);
                    foreach (var s in segments)
                    {
                        numbers.Add(s.Number);
                    }

                    checkpoint.Shards.Add(new Checkpoint.ShardRecord(shard.Id, shard.DatabaseId, shard.Space, shard.StartMicros, shard.EndMicros, numbers, [.. shard.Tombstones]));
                }
            }
        }

        checkpoint.Save(_dataDirectory);
        foreach (var path in _retiredSegments)
        {
            File.Delete(path);
        }

        _retiredSegments.Clear();
    }

    private void DeleteCoveredWalFiles(long coveredThrough)
    {
        foreach (var (number, path) in Wal.WalReader.ListFiles(_walDirectory))
        {
            if (number <= coveredThrough)
            {
                File.Delete(path);
            }
        }
    }

    private void WaitForMaintenance()
    {
        _maintenance.Wait();
        _maintenance.Release();
    }
}
