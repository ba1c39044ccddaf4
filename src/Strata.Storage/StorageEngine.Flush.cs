using System.Collections.Immutable;
using System.Diagnostics;
using Strata.Storage.Segments;
using Strata.Storage.Shards;

namespace Strata.Storage;

/// <summary>
/// Flush, compaction and the checkpoint that commits them. Lock order: <see cref="_maintenance"/> →
/// <see cref="_flushGate"/> → <see cref="_checkpointLock"/> → <see cref="_writeLock"/>.
/// </summary>
/// <remarks>
/// Flushes do not wait for compaction or backups, which can take minutes: the memtables' budget holds only as long
/// as flushes keep up, and writers wait (<see cref="WaitForRoomAsync"/>) when they do not.
/// </remarks>
public sealed partial class StorageEngine
{
    /// <summary>
    /// Held by work that needs the segment files to stay where they are for a long time: compaction (replaces them),
    /// backups (copy them), restores and shard drops (add or delete whole directories).
    /// </summary>
    private readonly SemaphoreSlim _maintenance = new(1, 1);

    /// <summary>
    /// One flush at a time. Also held briefly by whoever needs no flush between two steps: a backup's flush point, a
    /// restore's commit, a drop's directory deletes, a compaction's choice of inputs and output number.
    /// </summary>
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    /// <summary>
    /// Guards the checkpoint's fields, the segment lists a checkpoint is built from and the files it retires, so that
    /// a checkpoint never lists half of a flush's segments or a compaction's output next to its inputs.
    /// </summary>
    private readonly Lock _checkpointLock = new();

    private static readonly TimeSpan FlushRetryDelay = TimeSpan.FromSeconds(1);

    private readonly Lock _roomLock = new();
    private TaskCompletionSource? _room;
    private int _flushScheduled;
    private int _compactionScheduled;
    private volatile bool _flushFailing;

    /// <summary>Set under both gates when the engine closes: background work that gets a gate afterwards does nothing.</summary>
    private volatile bool _closed;

    /// <summary>Bytes appended to the active memtables since the last freeze (approximate). Written under the write lock.</summary>
    private long _activeBytes;

    /// <summary>The memtables a failed flush froze but did not commit: the next flush writes them first.</summary>
    private FrozenMemtables? _unfinished;

    private long _nextFileNumber = 1;
    private long _walCoveredThrough;
    private long _checkpointSequenceCounter;
    private List<Checkpoint.IndexRecord> _checkpointIndexes = [];

    /// <summary>Test seam: runs on the flushing thread after the freeze, before any segment is written.</summary>
    internal Action? FlushFrozen { get; set; }

    /// <summary>Writes wait while the active memtables hold this many bytes and a flush is on its way.</summary>
    private long StallBytes => Options.MemtableBytes * 2;

    /// <summary>Starts a background flush when the active memtables passed their budget.</summary>
    private void MaybeScheduleFlush()
    {
        if (Volatile.Read(ref _flushScheduled) == 1 || Volatile.Read(ref _activeBytes) < Options.MemtableBytes || Interlocked.Exchange(ref _flushScheduled, 1) == 1)
        {
            return;
        }

        // A thread of its own: a flush keeps its thread for up to a second, and on two cores the thread pool has two
        // workers before it injects more, so a flush on one of them left requests queued behind it (write latencies
        // of 100–170 ms right after each flush began).
        _ = Task.Factory.StartNew(FlushInBackground, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void FlushInBackground()
    {
        try
        {
            _flushGate.Wait();
            try
            {
                if (_closed)
                {
                    return;
                }

                FlushLocked();
            }
            finally
            {
                _flushGate.Release();
            }

            MaybeScheduleCompaction();
        }
        catch (Exception e)
        {
            // Writers stop waiting for room (the memtables grow instead), and the next attempt comes a second later
            // at the earliest rather than with every write.
            _flushFailing = true;
            StorageLog.FlushFailed(_logger, e);
            Thread.Sleep(FlushRetryDelay);
        }
        finally
        {
            Volatile.Write(ref _flushScheduled, 0);
            SignalRoom();
        }
    }

    /// <summary>
    /// Waits until the active memtables are below <see cref="StallBytes"/>: a flush freezing them wakes the waiters.
    /// Returns at once while flushes fail (memory grows rather than writes stop) or the engine is closing.
    /// </summary>
    private async Task WaitForRoomAsync()
    {
        while (Volatile.Read(ref _activeBytes) >= StallBytes && !_flushFailing && !_closed)
        {
            Task room;
            lock (_roomLock)
            {
                room = (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            // Registered before looking again, so a freeze or a flush's end after this point wakes this writer.
            MaybeScheduleFlush();
            if (Volatile.Read(ref _activeBytes) < StallBytes)
            {
                break;
            }

            await room.ConfigureAwait(false);
        }
    }

    private void SignalRoom()
    {
        TaskCompletionSource? room;
        lock (_roomLock)
        {
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }

    private void MaybeScheduleCompaction()
    {
        if (CompactionCandidates().Count == 0 || Interlocked.Exchange(ref _compactionScheduled, 1) == 1)
        {
            return;
        }

        _ = Task.Factory.StartNew(() =>
        {
            try
            {
                Compact();
            }
            catch (Exception e)
            {
                StorageLog.CompactionFailed(_logger, e);
            }
            finally
            {
                Volatile.Write(ref _compactionScheduled, 0);
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
    /// cover; then compacts shards that have too many segments.
    /// </summary>
    public void Flush()
    {
        _flushGate.Wait();
        try
        {
            FlushLocked();
        }
        finally
        {
            _flushGate.Release();
        }

        Compact();
    }

    private void Compact()
    {
        _maintenance.Wait();
        try
        {
            if (!_closed)
            {
                CompactLocked();
            }
        }
        finally
        {
            _maintenance.Release();
        }
    }

    /// <summary>What one flush froze, kept until it is committed so that a failed flush can be finished by the next.</summary>
    private sealed class FrozenMemtables(long closedWal, long sequenceCounter, List<Checkpoint.IndexRecord> indexes)
    {
        public long ClosedWal { get; } = closedWal;

        public long SequenceCounter { get; } = sequenceCounter;

        public List<Checkpoint.IndexRecord> Indexes { get; } = indexes;

        public List<FrozenShard> Shards { get; } = [];
    }

    private sealed class FrozenShard(Shard shard, Memtable.Memtable memtable, long number)
    {
        public Shard Shard { get; } = shard;

        public Memtable.Memtable Memtable { get; } = memtable;

        public long Number { get; } = number;

        public bool Written { get; set; }

        public bool Installed { get; set; }

        public SegmentReader? Segment { get; set; }
    }

    /// <param name="atFreeze">
    /// Runs under the write lock right after the memtables are frozen: the flush point, where a database backup
    /// captures its shards' tombstones so that they match the segments the flush is about to complete.
    /// </param>
    /// <returns>The checkpoint that commits the flush.</returns>
    /// <remarks>Caller holds <see cref="_flushGate"/>.</remarks>
    private Checkpoint FlushLocked(Action? atFreeze = null)
    {
        // A failed flush's memtables go first: until they are in segments the WAL that holds them cannot be covered.
        if (_unfinished is { } earlier)
        {
            Commit(earlier);
        }

        var clock = Stopwatch.StartNew();
        FrozenMemtables frozen;
        lock (_writeLock)
        {
            var closedWal = _wal.Rotate();
            frozen = new FrozenMemtables(closedWal, _sequenceCounter, SnapshotIndexes());
            foreach (var shards in _shards.Values)
            {
                foreach (var shard in shards.Values)
                {
                    var number = Interlocked.Read(ref _nextFileNumber);
                    if (shard.Freeze(number) is { } memtable)
                    {
                        Interlocked.Increment(ref _nextFileNumber);
                        frozen.Shards.Add(new FrozenShard(shard, memtable, number));
                    }
                }
            }

            _activeBytes = 0;
            _unfinished = frozen;
            atFreeze?.Invoke();
        }

        SignalRoom();
        FlushFrozen?.Invoke();
        var (values, bytes, checkpoint) = Commit(frozen);
        StorageLog.Flushed(_logger, frozen.Shards.Count, values, bytes, clock.ElapsedMilliseconds);
        return checkpoint;
    }

    /// <summary>
    /// Writes the segments of a frozen set that are not written yet, installs them and commits them in the
    /// checkpoint; then deletes the WAL files the checkpoint covers. Safe to call again after it threw.
    /// </summary>
    private (long Values, long Bytes, Checkpoint Checkpoint) Commit(FrozenMemtables frozen)
    {
        long values = 0, bytes = 0;
        Checkpoint checkpoint;
        foreach (var item in frozen.Shards)
        {
            // A shard dropped since the freeze (only possible between a failed flush and its retry) needs no segment.
            if (!item.Written && !item.Shard.IsClosed)
            {
                item.Segment = WriteSegment(item.Shard, item.Memtable, item.Number);
            }

            item.Written = true;
            values += item.Segment?.ValueCount ?? 0;
            bytes += item.Segment?.SizeBytes ?? 0;
        }

        lock (_checkpointLock)
        {
            foreach (var item in frozen.Shards)
            {
                if (!item.Installed)
                {
                    item.Installed = true;
                    item.Shard.CompleteFlush(item.Segment);
                    item.Memtable.Release();
                }
            }

            _walCoveredThrough = frozen.ClosedWal;
            _checkpointSequenceCounter = frozen.SequenceCounter;
            _checkpointIndexes = frozen.Indexes;
            checkpoint = SaveCheckpoint();
        }

        _unfinished = null;
        _flushFailing = false;
        DeleteCoveredWalFiles(frozen.ClosedWal);
        Metrics.Flushes++;
        return (values, bytes, checkpoint);
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

    /// <summary>Shards that have reached the compaction trigger.</summary>
    private List<Shard> CompactionCandidates()
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

        return candidates;
    }

    /// <summary>Merges all segments of every shard that has reached the compaction trigger into one. Caller holds <see cref="_maintenance"/>.</summary>
    private void CompactLocked()
    {
        var candidates = CompactionCandidates();
        var compacted = false;
        foreach (var shard in candidates)
        {
            compacted |= CompactShard(shard);
        }

        if (compacted)
        {
            SaveCheckpoint();
        }
    }

    private bool CompactShard(Shard shard)
    {
        ImmutableArray<SegmentReader> inputs;
        ImmutableArray<Tombstone> tombstones;
        long number;
        _flushGate.Wait();
        try
        {
            // Segment numbers follow age (tombstones and reads rely on it). A flush under way may be writing a segment
            // of this shard with a number below any taken now; with the gate held there is none, so the output's
            // number lies above every input's and below that of every segment flushed from now on.
            inputs = shard.Segments;
            tombstones = shard.Tombstones;
            number = Interlocked.Increment(ref _nextFileNumber) - 1;
        }
        finally
        {
            _flushGate.Release();
        }

        if (shard.IsClosed || inputs.Length < Options.CompactionTrigger)
        {
            return false;
        }

        var index = GetIndex(shard.DatabaseId);
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

        var output = SegmentReader.Open(path, number);
        lock (_checkpointLock)
        {
            if (!shard.ReplaceCompacted(inputs, output, tombstones))
            {
                // Dropped meanwhile (a database drop does not wait for compaction): its directory is gone or going.
                output.Release();
                return false;
            }

            // Old files go once the next checkpoint no longer lists them; readers still holding them keep their handles.
            _retiredSegments.AddRange(ImmutableArray.CreateRange(inputs, s => s.Path));
        }

        foreach (var old in inputs)
        {
            old.Release();
        }

        Metrics.Compactions++;
        StorageLog.Compacted(_logger, inputs.Length, shard.Id, output.SizeBytes);
        return true;
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

    /// <summary>Writes the checkpoint, then deletes retired segment files; returns what it wrote.</summary>
    private Checkpoint SaveCheckpoint()
    {
        lock (_checkpointLock)
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
            return checkpoint;
        }
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
}
