using System.Buffers;
using System.Runtime.InteropServices;
using Strata.Core;
using Strata.Storage.Index;
using Strata.Storage.Memtable;
using Strata.Storage.Meta;
using Strata.Storage.Shards;
using Strata.Storage.Wal;

namespace Strata.Storage;

public sealed partial class StorageEngine
{
    /// <summary>
    /// Stores a validated write: assigns server time and sequence numbers, appends one WAL record, applies it to the
    /// memtables and completes when the record is on disk. All or nothing for the request. Waits first while the
    /// memtables are over twice their budget and a flush is on its way (back-pressure).
    /// </summary>
    public Task WriteAsync(DatabaseInfo database, WriteBatch batch, long nowMicros)
    {
        if (Volatile.Read(ref _activeBytes) >= StallBytes && !_flushFailing && !_closed)
        {
            return WriteAfterRoomAsync(database, batch, nowMicros);
        }

        return WriteNow(database, batch, nowMicros);
    }

    private async Task WriteAfterRoomAsync(DatabaseInfo database, WriteBatch batch, long nowMicros)
    {
        Interlocked.Increment(ref Metrics.WriteStalls);
        await WaitForRoomAsync().ConfigureAwait(false);
        await WriteNow(database, batch, nowMicros).ConfigureAwait(false);
    }

    private Task WriteNow(DatabaseInfo database, WriteBatch batch, long nowMicros)
    {
        // Points already past their space's retention are left out: a copy is made only when some are.
        WriteBatch? kept = null;
        for (var i = 0; i < batch.Series.Count; i++)
        {
            var s = batch.Series[i];
            if (s.Name.Length == 0)
            {
                throw StrataException.BadRequest("Series name cannot be empty");
            }

            var space = RouteWrite(database, s.Name);
            var duration = space.ShardDurationMicros;
            var retention = space.RetentionMicros;
            var expired = 0;
            foreach (var time in CollectionsMarshal.AsSpan(s.Times))
            {
                var t = time == SeriesPoints.NoTime ? nowMicros : time;
                if (!ShardSpaces.InRange(t, duration))
                {
                    throw StrataException.BadRequest(
                        "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]");
                }

                if (retention is { } r && ShardSpaces.Bucket(t, duration).End < nowMicros - r)
                {
                    expired++;
                }
            }

            // Points whose bucket is already past the space's retention are dropped without error, and a series
            // left with none is not registered (reference §5.11).
            if (expired > 0 && kept is null)
            {
                kept = new WriteBatch();
                kept.Series.AddRange(batch.Series.GetRange(0, i));
            }

            if (expired == 0)
            {
                kept?.Series.Add(s);
            }
            else if (expired < s.PointCount)
            {
                kept!.Series.Add(WithoutExpired(s, nowMicros, duration, retention!.Value));
            }
        }

        batch = kept ?? batch;
        if (batch.Series.Count == 0)
        {
            return Task.CompletedTask;
        }

        Task durable;
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_writeLock)
        {
            var entered = System.Diagnostics.Stopwatch.GetTimestamp();
            if (!Meta.DatabaseIdExists(database.Id))
            {
                throw StrataException.BadRequest($"Database {database.Name} doesn't exist");
            }

            var points = 0;
            foreach (var s in batch.Series)
            {
                var times = CollectionsMarshal.AsSpan(s.Times);
                var seqs = CollectionsMarshal.AsSpan(s.Seqs)[..times.Length];
                var clientSeq = CollectionsMarshal.AsSpan(s.ClientSeq)[..times.Length];
                for (var p = 0; p < times.Length; p++)
                {
                    if (times[p] == SeriesPoints.NoTime)
                    {
                        times[p] = nowMicros;
                    }

                    if (!clientSeq[p])
                    {
                        seqs[p] = WalRecords.AssignedSeq(++_sequenceCounter);
                    }
                }

                points += times.Length;
            }

            durable = _wal.Append((database.Id, _sequenceCounter, batch), static (state, w) => WalRecords.WriteWrite(state.Id, state._sequenceCounter, state.batch, w));
            Apply(database.Id, batch);
            Metrics.PointsWritten += points;
            Metrics.WriteRequests++;
            Metrics.WriteLockWaitTicks += entered - asked;
            Metrics.WriteLockHeldTicks += System.Diagnostics.Stopwatch.GetTimestamp() - entered;
        }

        MaybeScheduleFlush();
        return durable;
    }

    private static SeriesPoints WithoutExpired(SeriesPoints s, long nowMicros, long duration, long retention)
    {
        var copy = new SeriesPoints(s.Name, s.Columns);
        for (var p = 0; p < s.PointCount; p++)
        {
            var t = s.Times[p] == SeriesPoints.NoTime ? nowMicros : s.Times[p];
            if (ShardSpaces.Bucket(t, duration).End < nowMicros - retention)
            {
                continue;
            }

            copy.Times.Add(s.Times[p]);
            copy.Seqs.Add(s.Seqs[p]);
            copy.ClientSeq.Add(s.ClientSeq[p]);
            for (var c = 0; c < s.Columns.Count; c++)
            {
                copy.Values.Add(s.GetValue(p, c));
            }
        }

        return copy;
    }

    /// <summary>Applies a write (live or replayed) to index and memtables. Caller holds <see cref="_writeLock"/>.</summary>
    /// <remarks>
    /// A write of W's shape holds 1,000 series of 5 points each, so the work per series is what counts: one index lock
    /// and one last-point lock for the whole write, the space kept on the index entry, the previous run's shard
    /// reused while its bucket fits, and the memtable lock held from one run to the next.
    /// </remarks>
    private void Apply(uint databaseId, WriteBatch batch)
    {
        var index = IndexFor(databaseId);
        var database = Meta.FindDatabaseById(databaseId)!;
        var series = batch.Series;
        var entries = ArrayPool<SeriesEntry>.Shared.Rent(series.Count);
        var appender = new MemtableAppender();
        try
        {
            index.GetOrAddAll(series, entries);
            _lastPoints.Apply(databaseId, entries.AsSpan(0, series.Count), series);
            Shard? shard = null;
            Memtable.Memtable? active = null; // the shard's, read once per shard change: freezes need the write lock too
            for (var i = 0; i < series.Count; i++)
            {
                var s = series[i];
                var entry = entries[i];
                var space = SpaceForWrite(database, entry);

                // Runs of consecutive points in one shard.
                var times = CollectionsMarshal.AsSpan(s.Times);
                var start = 0;
                while (start < times.Length)
                {
                    if (shard is null || !ReferenceEquals(shard.Space, space.Name) || times[start] < shard.StartMicros || times[start] >= shard.EndMicros)
                    {
                        shard = GetOrCreateShard(databaseId, space, times[start]);
                        active = shard.Active;
                    }

                    var end = start + 1;
                    while (end < times.Length && times[end] >= shard.StartMicros && times[end] < shard.EndMicros)
                    {
                        end++;
                    }

                    appender.Append(active!, entry.Id, s, start, end);
                    start = end;
                }
            }
        }
        finally
        {
            _activeBytes += appender.AddedBytes;
            appender.Dispose();
            ArrayPool<SeriesEntry>.Shared.Return(entries, clearArray: true);
        }
    }

    private Shard GetOrCreateShard(uint databaseId, ShardSpace space, long micros)
    {
        var (start, end) = ShardSpaces.Bucket(micros, space.ShardDurationMicros);
        if (!_shards.TryGetValue(databaseId, out var shards))
        {
            shards = [];
            _shards[databaseId] = shards;
        }

        if (!shards.TryGetValue((start, space.Name), out var shard))
        {
            var id = _nextShardId++;
            shard = new Shard(id, databaseId, space.Name, start, end, Path.Combine(_shardDirectory, id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)));
            shards[(start, space.Name)] = shard;
        }

        return shard;
    }

    /// <summary>Drops a series: its name leaves the index at once (durably, through the WAL); its data is never read again and compaction discards it.</summary>
    public Task DropSeriesAsync(DatabaseInfo database, string series)
    {
        Task durable;
        lock (_writeLock)
        {
            if (!_indexes.TryGetValue(database.Id, out var index) || !index.TryGet(series, out _))
            {
                return Task.CompletedTask;
            }

            durable = _wal.Append((database.Id, series), static (state, w) => WalRecords.WriteDropSeries(state.Id, state.series, w));
            ApplyDropSeries(database.Id, series);
        }

        return durable;
    }

    /// <summary>
    /// Deletes [startMicros, endMicros] (inclusive) from each series, in every shard the range overlaps (0.8's rule:
    /// a shard [s, e) is touched when s &lt; end and e &gt; start). The series and their columns stay.
    /// </summary>
    public Task DeleteRangeAsync(DatabaseInfo database, IReadOnlyList<string> series, long startMicros, long endMicros)
    {
        Task durable = Task.CompletedTask;
        lock (_writeLock)
        {
            foreach (var name in series)
            {
                durable = _wal.Append((database.Id, name, startMicros, endMicros), static (state, w) => WalRecords.WriteDeleteRange(state.Id, state.name, state.startMicros, state.endMicros, w));
                ApplyDeleteRange(database.Id, name, startMicros, endMicros);
            }
        }

        return durable;
    }

    private void ApplyDeleteRange(uint databaseId, string series, long startMicros, long endMicros)
    {
        if (!_indexes.TryGetValue(databaseId, out var index) || !index.TryGet(series, out var entry) || !_shards.TryGetValue(databaseId, out var shards))
        {
            return;
        }

        _lastPoints.Forget(databaseId, entry.Id);
        foreach (var shard in shards.Values)
        {
            if (shard.Overlaps(startMicros, endMicros))
            {
                shard.DeleteRange(entry.Id, startMicros, endMicros);
            }
        }
    }

    private void ApplyDropSeries(uint databaseId, string series)
    {
        if (_indexes.TryGetValue(databaseId, out var index) && index.Remove(series, out var id) && _shards.TryGetValue(databaseId, out var shards))
        {
            _lastPoints.Forget(databaseId, id);
            foreach (var shard in shards.Values)
            {
                shard.RemoveSeriesFromMemtables(id);
            }
        }
    }
}
