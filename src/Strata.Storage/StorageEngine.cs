using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strata.Storage.Index;
using Strata.Storage.Meta;
using Strata.Storage.Shards;
using Strata.Storage.Wal;

namespace Strata.Storage;

/// <summary>
/// The storage engine of one node: metadata, the node-wide WAL, series indexes and shards.
/// Split by responsibility: <c>StorageEngine.Write.cs</c>, <c>.Read.cs</c>, <c>.Flush.cs</c>, <c>.Recovery.cs</c>.
/// </summary>
/// <remarks>
/// One WAL serves every shard so that concurrent writers to any database share one fsync (group commit) and a
/// request that spans shards is one record: all or nothing. Writes are ordered by <see cref="_writeLock"/>, which
/// covers sequence assignment, the WAL append and the memtable apply, so WAL order is apply order.
/// </remarks>
public sealed partial class StorageEngine : IDisposable
{
    private readonly Lock _writeLock = new();
    private readonly Dictionary<uint, SeriesIndex> _indexes = [];
    private readonly Dictionary<uint, SortedDictionary<(long Start, string Space), Shard>> _shards = [];
    private readonly ILogger _logger;
    private readonly string _dataDirectory;
    private readonly string _shardDirectory;
    private readonly string _walDirectory;
    private WalWriter _wal = null!;
    private long _sequenceCounter;
    private long _nextShardId = 1;
    private bool _disposed;

    private StorageEngine(StorageOptions options, ILogger logger, MetaStore meta)
    {
        Options = options;
        _logger = logger;
        Meta = meta;
        _dataDirectory = options.DataDirectory;
        _shardDirectory = Path.Combine(_dataDirectory, "shards");
        _walDirectory = Path.Combine(_dataDirectory, "wal");
    }

    public StorageOptions Options { get; }

    public MetaStore Meta { get; }

    /// <summary>Counters for /metrics.</summary>
    public StorageMetrics Metrics { get; } = new();

    private readonly LastPoints _lastPoints = new();

    /// <summary>Held from open to close; released last.</summary>
    private IO.DataDirectoryLock? _directoryLock;

    /// <summary>The database's change generation for <see cref="StoreLastPoint"/>: read it before opening shard views.</summary>
    public long LastPointGeneration(uint databaseId) => _lastPoints.Generation(databaseId);

    /// <summary>The series' newest row when it is known (see <see cref="LastPoints"/>).</summary>
    public bool TryGetLastPoint(uint databaseId, uint seriesId, out LastPoint point) =>
        _lastPoints.TryGet(databaseId, seriesId, Meta.ShardSpaceVersion, out point);

    /// <summary>
    /// Remembers a series' newest row, computed by a query that read every shard from <c>long.MinValue</c> on, unless
    /// the database changed after <paramref name="generation"/> was read.
    /// </summary>
    public void StoreLastPoint(uint databaseId, uint seriesId, LastPoint point, long generation, int spaceVersion) =>
        _lastPoints.Store(databaseId, seriesId, point, generation, spaceVersion);

    /// <summary>The WAL's fsync count (group commit: fewer fsyncs than writes under concurrency).</summary>
    public long WalSyncCount => _wal.SyncCount;

    /// <summary>Opens (and recovers) the engine in <see cref="StorageOptions.DataDirectory"/>.</summary>
    public static StorageEngine Open(StorageOptions options, ILogger? logger = null)
    {
        Directory.CreateDirectory(options.DataDirectory);
        var directoryLock = IO.DataDirectoryLock.Acquire(options.DataDirectory);
        try
        {
            var meta = MetaStore.Open(options.DataDirectory);
            var engine = new StorageEngine(options, logger ?? NullLogger.Instance, meta) { _directoryLock = directoryLock };
            Memtable.ChunkArena.RegionPool.Shared.KeepFor(options.MemtableBytes);
            engine.Recover();
            return engine;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    private SeriesIndex IndexFor(uint databaseId)
    {
        if (!_indexes.TryGetValue(databaseId, out var index))
        {
            index = new SeriesIndex();
            _indexes[databaseId] = index;
        }

        return index;
    }

    /// <summary>The series index of a database, or null when nothing was ever written to it.</summary>
    public SeriesIndex? GetIndex(uint databaseId)
    {
        lock (_writeLock)
        {
            return _indexes.GetValueOrDefault(databaseId);
        }
    }

    /// <summary>Drops a database: metadata first (atomic), then its shards, index and files.</summary>
    public void DropDatabase(string name)
    {
        var info = Meta.DropDatabase(name);
        List<Shard> dropped = [];
        lock (_writeLock)
        {
            _lastPoints.ForgetAll();
            _indexes.Remove(info.Id);
            if (_shards.Remove(info.Id, out var shards))
            {
                dropped.AddRange(shards.Values);
            }
        }

        // Not while a flush writes into one of these directories (a drop does not wait for compaction or backups).
        _flushGate.Wait();
        try
        {
            foreach (var shard in dropped)
            {
                shard.Close();
                TryDeleteDirectory(shard.Directory);
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Removed at the next start-up: directories of unknown shards are deleted then.
        }
    }

    public void Dispose() => Close(flush: true);

    /// <summary>Closes files without flushing, leaving the WAL as a killed process would (crash tests).</summary>
    internal void CloseWithoutFlush() => Close(flush: false);

    private void Close(bool flush)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            // A clean stop flushes, so the next start has no WAL to replay.
            if (flush)
            {
                Flush();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            StorageLog.FlushFailed(_logger, e);
        }

        // Background flushes and compactions that get a gate after this see the engine closed and do nothing.
        _maintenance.Wait();
        _flushGate.Wait();
        _closed = true;
        _flushGate.Release();
        _maintenance.Release();
        SignalRoom();
        _wal.Dispose();
        lock (_writeLock)
        {
            foreach (var shards in _shards.Values)
            {
                foreach (var shard in shards.Values)
                {
                    shard.Close();
                }
            }
        }

        _directoryLock?.Dispose();
    }
}

/// <summary>Engine counters, read by /metrics.</summary>
public sealed class StorageMetrics
{
    public long PointsWritten;
    public long WriteRequests;
    public long Flushes;
    public long Compactions;

    /// <summary>Writes that waited for a flush because the memtables were over twice their budget.</summary>
    public long WriteStalls;

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch"/> ticks writes spent waiting for the engine's write lock, and holding
    /// it (numbering, the WAL record, the memtables): the part of a write that does not run on both cores at once.
    /// </summary>
    public long WriteLockWaitTicks;

    /// <inheritdoc cref="WriteLockWaitTicks"/>
    public long WriteLockHeldTicks;

    /// <summary>Segment blocks an aggregate answered from their statistics without decoding them.</summary>
    public long BlocksFolded;

    /// <summary>Segment blocks aggregates decoded and summarised whole (no rows), e.g. under <c>where value &gt; 50</c>.</summary>
    public long BlocksSummarised;

    /// <summary>Rows of <c>select * … limit 1</c> answered from the last-point cache without reading a block.</summary>
    public long LastPointsServed;
}
