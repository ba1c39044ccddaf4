namespace Strata.Storage.Meta;

/// <summary>A database: its name and the internal id that WAL records and shards refer to.</summary>
public sealed record DatabaseInfo(string Name, uint Id);

/// <summary>A cluster admin: a name and a bcrypt hash.</summary>
public sealed record ClusterAdmin(string Name, string PasswordHash);

/// <summary>A database user with 0.8's permission regexes (unanchored; "" grants all).</summary>
public sealed record DatabaseUser(string Database, string Name, string PasswordHash, bool IsAdmin, string ReadFrom, string WriteTo);

/// <summary>
/// A continuous query: <see cref="Text"/> is the normalised text 0.8 shows in <c>list continuous queries</c>;
/// <see cref="Source"/> is the statement as written, which is what runs (the normalised text is lossy).
/// <see cref="LastRunMicros"/> is the end of the last window a periodic query computed (null: never ran).
/// </summary>
public sealed record ContinuousQuery(string Database, int Id, string Text, string Source, long? LastRunMicros);

/// <summary>One database's part of the metadata: what a database backup carries and a restore adds back.</summary>
public sealed record DatabaseExport(DatabaseInfo Database, List<DatabaseUser> Users, List<ContinuousQuery> ContinuousQueries, List<Shards.ShardSpace> ShardSpaces);

/// <summary>The whole metadata document as it is stored (docs/format/state-files.md).</summary>
public sealed class MetaState
{
    public uint NextDatabaseId { get; set; } = 1;

    public List<DatabaseInfo> Databases { get; set; } = [];

    public List<ClusterAdmin> ClusterAdmins { get; set; } = [];

    public List<DatabaseUser> DatabaseUsers { get; set; } = [];

    public List<ContinuousQuery> ContinuousQueries { get; set; } = [];

    /// <summary>Shard spaces of every database; within a database, highest matching priority first.</summary>
    public List<Shards.ShardSpace> ShardSpaces { get; set; } = [];
}
