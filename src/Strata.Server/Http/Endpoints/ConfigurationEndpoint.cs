using Strata.Server.Protocol;

namespace Strata.Server.Http.Endpoints;

/// <summary>
/// <c>GET /cluster/configuration</c> (reference http-api.md §4.13): 0.8's top-level keys and shapes for one node.
/// Strata choice: password hashes are reported as "" (nothing reads them and they are secrets).
/// </summary>
public static class ConfigurationEndpoint
{
    public static Task WriteAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var engine = c.Services.Engine;
        var meta = engine.Meta;
        var databases = meta.ListDatabases();
        var admins = meta.ListClusterAdmins();
        var shards = engine.ListShards();
        return c.JsonAsync(200, w =>
        {
            w.StartObject();
            w.PropertyName("Databases");
            w.StartObject();
            foreach (var db in databases)
            {
                w.PropertyName(db.Name);
                w.Int64(0);
            }

            w.EndObject();
            w.PropertyName("Admins");
            w.StartObject();
            foreach (var admin in admins)
            {
                w.PropertyName(admin.Name);
                w.StartObject();
                w.PropertyName("common");
                Common(w, admin.Name, admin.Name);
                w.EndObject();
            }

            w.EndObject();
            w.PropertyName("DbUsers");
            w.StartObject();
            foreach (var db in databases)
            {
                var users = meta.ListDatabaseUsers(db.Name);
                if (users.Count == 0)
                {
                    continue;
                }

                w.PropertyName(db.Name);
                w.StartObject();
                foreach (var user in users)
                {
                    w.PropertyName(user.Name);
                    w.StartObject();
                    w.PropertyName("common");
                    Common(w, user.Name, db.Name + "%" + user.Name);
                    w.PropertyName("db");
                    w.String(db.Name);
                    w.PropertyName("read_matchers");
                    Matchers(w, user.ReadFrom);
                    w.PropertyName("write_matchers");
                    Matchers(w, user.WriteTo);
                    w.PropertyName("is_admin");
                    w.Bool(user.IsAdmin);
                    w.EndObject();
                }

                w.EndObject();
            }

            w.EndObject();
            w.PropertyName("Servers");
            w.StartArray();
            w.StartObject();
            w.PropertyName("Id");
            w.Int64(1);
            w.PropertyName("RaftName");
            w.String("57a7a5746f000001");
            w.PropertyName("RaftConnectionString");
            w.String($"http://{c.Services.Options.Hostname}:{c.Services.Options.RaftPort}");
            w.PropertyName("ProtobufConnectionString");
            w.String($"{c.Services.Options.Hostname}:{c.Services.Options.ProtobufPort}");
            w.EndObject();
            w.EndArray();
            w.PropertyName("ContinuousQueries");
            w.StartObject();
            foreach (var db in databases)
            {
                var queries = meta.ListContinuousQueries(db.Name);
                if (queries.Count == 0)
                {
                    continue;
                }

                w.PropertyName(db.Name);
                w.StartArray();
                foreach (var q in queries)
                {
                    w.StartObject();
                    w.PropertyName("Id");
                    w.Int64(q.Id);
                    w.PropertyName("Query");
                    w.String(q.Text);
                    w.EndObject();
                }

                w.EndArray();
            }

            w.EndObject();
            w.PropertyName("MetaStore");
            w.StartObject();
            w.PropertyName("StringsToIds");
            w.StartObject();
            w.EndObject();
            w.PropertyName("LastIdUsed");
            w.Int64(0);
            w.EndObject();
            w.PropertyName("LastShardIdUsed");
            w.Int64(shards.Count == 0 ? 0 : shards[^1].Shard.Id);
            w.PropertyName("LastServerIdUsed");
            w.Int64(1);
            w.PropertyName("DatabaseShardSpaces");
            w.StartObject();
            foreach (var db in databases)
            {
                var spaces = meta.ListShardSpaces(db.Name);
                if (spaces.Count == 0)
                {
                    continue;
                }

                w.PropertyName(db.Name);
                w.StartArray();
                foreach (var space in spaces)
                {
                    ShardSpaceEndpoints.WriteSpace(w, space);
                }

                w.EndArray();
            }

            w.EndObject();
            w.PropertyName("Shards");
            w.StartArray();
            foreach (var (shard, database) in shards)
            {
                w.StartObject();
                w.PropertyName("Id");
                w.Int64(shard.Id);
                w.PropertyName("SpaceName");
                w.String(shard.Space);
                w.PropertyName("Database");
                w.String(database);
                w.PropertyName("StartTime");
                w.String(DateTimeOffset.FromUnixTimeMilliseconds(shard.StartMicros / 1000).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                w.PropertyName("EndTime");
                w.String(DateTimeOffset.FromUnixTimeMilliseconds(shard.EndMicros / 1000).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                w.PropertyName("ServerIds");
                w.StartArray();
                w.Int64(1);
                w.EndArray();
                w.EndObject();
            }

            w.EndArray();
            w.EndObject();
        });
    }

    private static void Common(GoJsonWriter w, string name, string cacheKey)
    {
        w.StartObject();
        w.PropertyName("name");
        w.String(name);
        w.PropertyName("hash");
        w.String(string.Empty);
        w.PropertyName("is_deleted");
        w.Bool(false);
        w.PropertyName("cache_key");
        w.String(cacheKey);
        w.EndObject();
    }

    private static void Matchers(GoJsonWriter w, string pattern)
    {
        w.StartArray();
        w.StartObject();
        w.PropertyName("IsRegex");
        w.Bool(true);
        w.PropertyName("Name");
        w.String(pattern);
        w.EndObject();
        w.EndArray();
    }
}
