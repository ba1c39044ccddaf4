namespace Strata.Server.Config;

/// <summary>
/// The 0.8 keys (reference §9.2) that a single-node Strata accepts but does not use. Each is still
/// type-checked, so a file 0.8.8 rejects is rejected here too, and reported once when present.
/// </summary>
internal static class IgnoredKeys
{
    private const string SingleNode = "Strata runs on a single node";
    private const string OwnEngine = "Strata has its own storage engine";
    private const string OwnWal = "Strata's write-ahead log lives in the data directory and is always on";

    /// <summary>Section path (canonical spelling, "" = top level), key, type, and why it is unused.</summary>
    public static readonly (string Section, string Key, ConfigKind Kind, string Reason)[] All =
    [
        ("", "reporting-disabled", ConfigKind.Boolean, "Strata never reports usage data"),
        ("admin", "assets", ConfigKind.String, "the admin UI assets are built in"),
        ("raft", "dir", ConfigKind.String, SingleNode),
        ("raft", "debug", ConfigKind.Boolean, SingleNode),
        ("raft", "election-timeout", ConfigKind.Duration, SingleNode),
        ("storage", "default-engine", ConfigKind.String, OwnEngine),
        ("storage", "write-buffer-size", ConfigKind.Integer, OwnEngine),
        ("storage", "max-open-shards", ConfigKind.Integer, OwnEngine),
        ("storage", "write-batch-size", ConfigKind.Integer, OwnEngine),
        ("leveldb", "max-open-files", ConfigKind.Integer, OwnEngine),
        ("leveldb", "lru-cache-size", ConfigKind.Size, OwnEngine),
        ("leveldb", "max-open-shards", ConfigKind.Integer, OwnEngine),
        ("leveldb", "write-batch-size", ConfigKind.Integer, OwnEngine),
        ("cluster", "seed-servers", ConfigKind.StringArray, SingleNode),
        ("cluster", "protobuf-timeout", ConfigKind.Duration, SingleNode),
        ("cluster", "protobuf-heartbeat", ConfigKind.Duration, SingleNode),
        ("cluster", "protobuf-min-backoff", ConfigKind.Duration, SingleNode),
        ("cluster", "protobuf-max-backoff", ConfigKind.Duration, SingleNode),
        ("cluster", "write-buffer-size", ConfigKind.Integer, SingleNode),
        ("cluster", "max-response-buffer-size", ConfigKind.Integer, SingleNode),
        ("cluster", "concurrent-shard-query-limit", ConfigKind.Integer, SingleNode),
        ("wal", "dir", ConfigKind.String, OwnWal),
        ("wal", "flush-after", ConfigKind.Integer, OwnWal),
        ("wal", "bookmark-after", ConfigKind.Integer, OwnWal),
        ("wal", "index-after", ConfigKind.Integer, OwnWal),
        ("wal", "requests-per-log-file", ConfigKind.Integer, OwnWal),
        // The sample file's spelling; 0.8.8 silently ignored it (configuration.go:145).
        ("wal", "requests-per-logfile", ConfigKind.Integer, OwnWal),
    ];

    /// <summary>Keys of each <c>[storage.engines.&lt;name&gt;]</c> section (leveldb, rocksdb, hyperleveldb, lmdb).</summary>
    public static readonly (string Key, ConfigKind Kind)[] EngineKeys =
    [
        ("max-open-files", ConfigKind.Integer),
        ("lru-cache-size", ConfigKind.Size),
        ("map-size", ConfigKind.Size),
    ];

    /// <summary>Type-checks every ignored key present in <paramref name="root"/> and reports each once.</summary>
    public static void Report(ConfigTable root, Action<string, string> report)
    {
        foreach (var (section, key, kind, reason) in All)
        {
            var table = section.Length == 0 ? root : root.Table(section);
            if (table?.Check(key, kind) is { } path)
            {
                report(path, reason);
            }
        }

        var engines = root.Table("storage")?.Table("engines");
        if (engines is null)
        {
            return;
        }

        foreach (var engine in engines.SubTables())
        {
            foreach (var (key, kind) in EngineKeys)
            {
                if (engine.Check(key, kind) is { } path)
                {
                    report(path, OwnEngine);
                }
            }
        }
    }
}
