namespace Strata.Storage;

/// <summary>Settings of the storage engine.</summary>
public sealed record StorageOptions
{
    /// <summary>The data directory; created if missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>
    /// Memtable budget across all shards before a background flush starts. Default 64 MiB. Writes wait while the
    /// active memtables hold twice this and a flush is on its way (back-pressure).
    /// </summary>
    public long MemtableBytes { get; init; } = 64L << 20;

    /// <summary>A shard with this many segments is compacted into one. Default 4.</summary>
    public int CompactionTrigger { get; init; } = 4;
}
