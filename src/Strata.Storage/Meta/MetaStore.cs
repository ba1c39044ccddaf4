using System.Text.Json;
using Strata.Core;
using Strata.Storage.IO;

namespace Strata.Storage.Meta;

/// <summary>
/// Databases, users and cluster admins. Every change rewrites <c>meta.state</c> atomically (temp file, fsync,
/// rename) before it becomes visible, so an acknowledged change survives a crash. Single node: one file.
/// </summary>
public sealed class MetaStore
{
    public const string FileName = "meta.state";

    private static ReadOnlySpan<byte> Magic => "STRATMET"u8;

    private const ushort Version = 1;

    private readonly string _path;
    private readonly Lock _lock = new();
    private MetaState _state;

    private MetaStore(string path, MetaState state)
    {
        _path = path;
        _state = state;
    }

    /// <summary>Loads the store, or starts an empty one when the file does not exist yet.</summary>
    public static MetaStore Open(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return new MetaStore(path, new MetaState());
        }

        try
        {
            var payload = Checksummed.Unwrap(File.ReadAllBytes(path), Magic, Version, out _);
            var state = JsonSerializer.Deserialize(payload.Span, StateJson.Default.MetaState)
                ?? throw new InvalidDataException("empty document");
            return new MetaStore(path, state);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new InvalidDataException($"cannot open metadata {path}: {e.Message}", e);
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _state.Databases.Count == 0 && _state.ClusterAdmins.Count == 0;
            }
        }
    }

    private void Save(MetaState next)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(next, StateJson.Default.MetaState);
        AtomicFile.Write(_path, Checksummed.Wrap(Magic, Version, json));
        _state = next;
    }

    private MetaState CloneState() => new()
    {
        NextDatabaseId = _state.NextDatabaseId,
        Databases = [.. _state.Databases],
        ClusterAdmins = [.. _state.ClusterAdmins],
        DatabaseUsers = [.. _state.DatabaseUsers],
        ContinuousQueries = [.. _state.ContinuousQueries],
        ShardSpaces = [.. _state.ShardSpaces],
    };

    public DatabaseInfo? FindDatabase(string name)
    {
        lock (_lock)
        {
            foreach (var db in _state.Databases)
            {
                if (db.Name == name)
                {
                    return db;
                }
            }

            return null;
        }
    }

    public DatabaseInfo? FindDatabaseById(uint id)
    {
        lock (_lock)
        {
            return _state.Databases.Find(d => d.Id == id);
        }
    }

    /// <summary>Incremented on every shard-space change, so routing caches know when to refresh.</summary>
    public int ShardSpaceVersion { get; private set; }

    /// <summary>The spaces of a database, highest priority first (reference §8.3).</summary>
    public List<Shards.ShardSpace> ListShardSpaces(string database)
    {
        lock (_lock)
        {
            return _state.ShardSpaces.FindAll(s => s.Database == database);
        }
    }

    /// <summary>The spaces of a database as <see cref="ListShardSpaces"/>, with the <see cref="ShardSpaceVersion"/> they belong to.</summary>
    public (int Version, List<Shards.ShardSpace> Spaces) ShardSpacesWithVersion(string database)
    {
        lock (_lock)
        {
            return (ShardSpaceVersion, _state.ShardSpaces.FindAll(s => s.Database == database));
        }
    }

    /// <summary>Every space, databases sorted by name (Strata choice), each database's in priority order.</summary>
    public List<Shards.ShardSpace> AllShardSpaces()
    {
        lock (_lock)
        {
            var list = new List<Shards.ShardSpace>(_state.ShardSpaces);
            var order = new Dictionary<Shards.ShardSpace, int>();
            for (var i = 0; i < list.Count; i++)
            {
                order[list[i]] = i;
            }

            list.Sort((a, b) => a.Database == b.Database ? order[a].CompareTo(order[b]) : string.CompareOrdinal(a.Database, b.Database));
            return list;
        }
    }

    /// <summary>Adds a space with the highest priority of its database, or, for the auto-created default, the lowest (Strata choice, §8.4).</summary>
    public void AddShardSpace(Shards.ShardSpace space, bool lowestPriority = false)
    {
        lock (_lock)
        {
            if (_state.ShardSpaces.Exists(s => s.Database == space.Database && s.Name == space.Name))
            {
                throw StrataException.BadRequest($"Shard space {space.Name} exists for db {space.Database}");
            }

            var next = CloneState();
            if (lowestPriority)
            {
                next.ShardSpaces.Add(space);
            }
            else
            {
                next.ShardSpaces.Insert(0, space);
            }

            Save(next);
            ShardSpaceVersion++;
        }
    }

    /// <summary>Replaces a space's definition in place (priority unchanged); false when it does not exist.</summary>
    public bool ReplaceShardSpace(Shards.ShardSpace space)
    {
        lock (_lock)
        {
            var next = CloneState();
            var index = next.ShardSpaces.FindIndex(s => s.Database == space.Database && s.Name == space.Name);
            if (index < 0)
            {
                return false;
            }

            next.ShardSpaces[index] = space;
            Save(next);
            ShardSpaceVersion++;
            return true;
        }
    }

    public bool DropShardSpace(string database, string name)
    {
        lock (_lock)
        {
            var next = CloneState();
            if (next.ShardSpaces.RemoveAll(s => s.Database == database && s.Name == name) == 0)
            {
                return false;
            }

            Save(next);
            ShardSpaceVersion++;
            return true;
        }
    }

    public bool DatabaseIdExists(uint id)
    {
        lock (_lock)
        {
            foreach (var db in _state.Databases)
            {
                if (db.Id == id)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Databases ordinal-sorted by name (Strata choice: 0.8.8 returned map order).</summary>
    public List<DatabaseInfo> ListDatabases()
    {
        lock (_lock)
        {
            var list = new List<DatabaseInfo>(_state.Databases);
            list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return list;
        }
    }

    public DatabaseInfo CreateDatabase(string name)
    {
        lock (_lock)
        {
            foreach (var db in _state.Databases)
            {
                if (db.Name == name)
                {
                    throw new StrataException(409, $"database {name} exists");
                }
            }

            var next = CloneState();
            var info = new DatabaseInfo(name, next.NextDatabaseId++);
            next.Databases.Add(info);
            Save(next);
            return info;
        }
    }

    /// <summary>Removes a database and its users; returns it, or throws 400 when unknown.</summary>
    public DatabaseInfo DropDatabase(string name)
    {
        lock (_lock)
        {
            var next = CloneState();
            var index = next.Databases.FindIndex(d => d.Name == name);
            if (index < 0)
            {
                throw StrataException.BadRequest($"Database {name} doesn't exist");
            }

            var info = next.Databases[index];
            next.Databases.RemoveAt(index);
            next.DatabaseUsers.RemoveAll(u => u.Database == name);
            next.ContinuousQueries.RemoveAll(q => q.Database == name);
            next.ShardSpaces.RemoveAll(q => q.Database == name);
            Save(next);
            return info;
        }
    }

    /// <summary>
    /// A database's record with its users, continuous queries and shard spaces (priority order), read under one
    /// lock so the parts agree; null when it does not exist. Used by database backups.
    /// </summary>
    public DatabaseExport? ExportDatabase(string name)
    {
        lock (_lock)
        {
            var info = _state.Databases.Find(d => d.Name == name);
            return info is null
                ? null
                : new DatabaseExport(
                    info,
                    _state.DatabaseUsers.FindAll(u => u.Database == name),
                    _state.ContinuousQueries.FindAll(q => q.Database == name),
                    _state.ShardSpaces.FindAll(s => s.Database == name));
        }
    }

    /// <summary>
    /// Takes a database id for a restore and makes it durable before the restore writes any file under it, so a
    /// restore interrupted by a crash can never lend its leftovers (checkpoint records of that id) to a later database.
    /// </summary>
    public uint ReserveDatabaseId()
    {
        lock (_lock)
        {
            var next = CloneState();
            var id = next.NextDatabaseId++;
            Save(next);
            return id;
        }
    }

    /// <summary>
    /// Adds a restored database with its users, continuous queries and shard spaces in one atomic change, renamed to
    /// <paramref name="name"/> with the reserved <paramref name="id"/>; 400 <c>Database NAME exists</c> when the name is taken.
    /// </summary>
    public DatabaseInfo RestoreDatabase(string name, uint id, List<DatabaseUser> users, List<ContinuousQuery> continuousQueries, List<Shards.ShardSpace> shardSpaces)
    {
        lock (_lock)
        {
            if (_state.Databases.Exists(d => d.Name == name))
            {
                throw StrataException.BadRequest($"Database {name} exists");
            }

            if (id >= _state.NextDatabaseId || _state.Databases.Exists(d => d.Id == id))
            {
                throw new InvalidOperationException($"BUG: database id {id} was not reserved");
            }

            var next = CloneState();
            var info = new DatabaseInfo(name, id);
            next.Databases.Add(info);
            foreach (var user in users)
            {
                next.DatabaseUsers.Add(user with { Database = name });
            }

            foreach (var query in continuousQueries)
            {
                next.ContinuousQueries.Add(query with { Database = name });
            }

            foreach (var space in shardSpaces)
            {
                next.ShardSpaces.Add(space with { Database = name });
            }

            Save(next);
            if (shardSpaces.Count > 0)
            {
                ShardSpaceVersion++;
            }

            return info;
        }
    }

    public ClusterAdmin? FindClusterAdmin(string name)
    {
        lock (_lock)
        {
            return _state.ClusterAdmins.Find(a => a.Name == name);
        }
    }

    public List<ClusterAdmin> ListClusterAdmins()
    {
        lock (_lock)
        {
            var list = new List<ClusterAdmin>(_state.ClusterAdmins);
            list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return list;
        }
    }

    /// <summary>Creates or replaces a cluster admin (replace is used by -reset-root and password changes).</summary>
    public void UpsertClusterAdmin(ClusterAdmin admin)
    {
        lock (_lock)
        {
            var next = CloneState();
            next.ClusterAdmins.RemoveAll(a => a.Name == admin.Name);
            next.ClusterAdmins.Add(admin);
            Save(next);
        }
    }

    public bool DeleteClusterAdmin(string name)
    {
        lock (_lock)
        {
            var next = CloneState();
            if (next.ClusterAdmins.RemoveAll(a => a.Name == name) == 0)
            {
                return false;
            }

            Save(next);
            return true;
        }
    }

    public DatabaseUser? FindDatabaseUser(string database, string name)
    {
        lock (_lock)
        {
            return _state.DatabaseUsers.Find(u => u.Database == database && u.Name == name);
        }
    }

    public List<DatabaseUser> ListDatabaseUsers(string database)
    {
        lock (_lock)
        {
            var list = _state.DatabaseUsers.FindAll(u => u.Database == database);
            list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return list;
        }
    }

    public void UpsertDatabaseUser(DatabaseUser user)
    {
        lock (_lock)
        {
            var next = CloneState();
            next.DatabaseUsers.RemoveAll(u => u.Database == user.Database && u.Name == user.Name);
            next.DatabaseUsers.Add(user);
            Save(next);
        }
    }

    public bool DeleteDatabaseUser(string database, string name)
    {
        lock (_lock)
        {
            var next = CloneState();
            if (next.DatabaseUsers.RemoveAll(u => u.Database == database && u.Name == name) == 0)
            {
                return false;
            }

            Save(next);
            return true;
        }
    }

    /// <summary>Continuous queries of a database in creation order.</summary>
    public List<ContinuousQuery> ListContinuousQueries(string database)
    {
        lock (_lock)
        {
            return _state.ContinuousQueries.FindAll(q => q.Database == database);
        }
    }

    /// <summary>All continuous queries of every database (for the scheduler).</summary>
    public List<ContinuousQuery> AllContinuousQueries()
    {
        lock (_lock)
        {
            return [.. _state.ContinuousQueries];
        }
    }

    /// <summary>Stores a new continuous query with id max(existing ids of the database) + 1, as 0.8 numbers them.</summary>
    public ContinuousQuery AddContinuousQuery(string database, string text, string source, long? lastRunMicros)
    {
        lock (_lock)
        {
            var next = CloneState();
            var id = 1;
            foreach (var q in next.ContinuousQueries)
            {
                if (q.Database == database)
                {
                    id = Math.Max(id, q.Id + 1);
                }
            }

            var query = new ContinuousQuery(database, id, text, source, lastRunMicros);
            next.ContinuousQueries.Add(query);
            Save(next);
            return query;
        }
    }

    public bool DropContinuousQuery(string database, int id)
    {
        lock (_lock)
        {
            var next = CloneState();
            if (next.ContinuousQueries.RemoveAll(q => q.Database == database && q.Id == id) == 0)
            {
                return false;
            }

            Save(next);
            return true;
        }
    }

    /// <summary>Records the end of the window a periodic query last computed.</summary>
    public void SetContinuousQueryLastRun(string database, int id, long lastRunMicros)
    {
        lock (_lock)
        {
            var next = CloneState();
            var index = next.ContinuousQueries.FindIndex(q => q.Database == database && q.Id == id);
            if (index < 0)
            {
                return;
            }

            next.ContinuousQueries[index] = next.ContinuousQueries[index] with { LastRunMicros = lastRunMicros };
            Save(next);
        }
    }
}
