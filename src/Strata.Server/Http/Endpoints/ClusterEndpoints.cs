using System.Globalization;
using System.Text.Json;
using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Server.Http.Endpoints;

/// <summary>
/// The cluster endpoints as a single node answers them (reference http-api.md §4.10–4.15): interfaces, sync,
/// force_compaction, configuration, servers and shards.
/// </summary>
public static class ClusterEndpoints
{
    private const string RaftName = "57a7a5746f000001";

    public static void Map(Router router)
    {
        // Strata choice: the interfaces shipped with the admin assets (0.8.8 listed a relative directory).
        router.Get("/interfaces", c => c.JsonAsync(200, w =>
        {
            w.StartArray();
            w.String("default");
            w.EndArray();
        }));
        router.Get("/sync", c =>
        {
            c.Services.Auth.ClusterAdmin(c.Request);
            return c.TextAsync(200, "true");
        });
        router.Post("/raft/force_compaction", c =>
        {
            c.Services.Auth.ClusterAdmin(c.Request);
            return c.TextAsync(200, "OK");
        });
        router.Get("/cluster/servers", ServersAsync);
        router.Delete("/cluster/servers/:id", DeleteServerAsync);
        router.Get("/cluster/shards", ShardsAsync);
        router.Post("/cluster/shards", CreateShardsAsync);
        router.Delete("/cluster/shards/:id", DropShardAsync);
        router.Get("/cluster/configuration", ConfigurationEndpoint.WriteAsync);
    }

    private static string Host(ApiContext c) => c.Services.Options.Hostname;

    private static Task ServersAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var host = Host(c);
        var raft = $"http://{host}:{c.Services.Options.RaftPort}";
        return c.JsonAsync(200, w =>
        {
            w.StartArray();
            w.StartObject();
            w.PropertyName("id");
            w.Int64(1);
            w.PropertyName("isLeader");
            w.Bool(true);
            w.PropertyName("isUp");
            w.Bool(true);
            w.PropertyName("leaderRaftConnectString");
            w.String(raft);
            w.PropertyName("leaderRaftName");
            w.String(RaftName);
            w.PropertyName("protobufConnectString");
            w.String($"{host}:{c.Services.Options.ProtobufPort}");
            w.PropertyName("raftConnectionString");
            w.String(raft);
            w.PropertyName("raftName");
            w.String(RaftName);
            w.EndObject();
            w.EndArray();
        });
    }

    private static Task DeleteServerAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var text = c.Route("id");
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            throw StrataException.BadRequest($"strconv.ParseInt: parsing \"{text}\": invalid syntax");
        }

        if (id == 1)
        {
            throw StrataException.BadRequest("Cannot remove the local server");
        }

        return c.EmptyAsync(200);
    }

    private static Task ShardsAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var shards = c.Services.Engine.ListShards();
        return c.JsonAsync(200, w =>
        {
            w.StartArray();
            foreach (var (shard, database) in shards)
            {
                w.StartObject();
                w.PropertyName("database");
                w.String(database);
                w.PropertyName("endTime");
                w.Int64(Math.DivRem(shard.EndMicros, 1_000_000).Quotient);
                w.PropertyName("id");
                w.Int64(shard.Id);
                w.PropertyName("serverIds");
                w.StartArray();
                w.Int64(1);
                w.EndArray();
                w.PropertyName("spaceName");
                w.String(shard.Space);
                w.PropertyName("startTime");
                w.Int64(Math.DivRem(shard.StartMicros, 1_000_000).Quotient);
                w.EndObject();
            }

            w.EndArray();
        });
    }

    /// <summary>These bodies answer bad JSON with 500 in 0.8 (reference §12 item 22).</summary>
    private static async Task<JsonElement> Body500Async(ApiContext c) => GoJsonBody.ParseFirstValue(await c.ReadBodyAsync(), errorStatus: 500);

    private static async Task CreateShardsAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var body = await Body500Async(c);
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new StrataException(500, $"json: cannot unmarshal {GoJsonBody.Kind(body)} into Go value of type http.newShardInfo");
        }

        long Seconds(string key) => body.TryGetProperty(key, out var v) && v.TryGetInt64(out var n) ? n : 0;
        string Text(string key) => body.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
        var database = Text("database");
        var space = Text("spaceName");
        var meta = c.Services.Engine.Meta;
        if (meta.FindDatabase(database) is not { } info || !meta.ListShardSpaces(database).Exists(s => s.Name == space))
        {
            throw new StrataException(500, $"Unable to find shard space {space} for database {database}");
        }

        if (!body.TryGetProperty("shards", out var shards) || shards.ValueKind != JsonValueKind.Array || shards.GetArrayLength() == 0)
        {
            throw new StrataException(500, "AddShards called without shards");
        }

        c.Services.Engine.CreateShard(info, space, Seconds("startTime") * 1_000_000, Seconds("endTime") * 1_000_000);
        await c.EmptyAsync(202);
    }

    private static async Task DropShardAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var text = c.Route("id");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            throw new StrataException(500, $"strconv.ParseInt: parsing \"{text}\": invalid syntax");
        }

        var body = await Body500Async(c);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("serverIds", out var servers) || servers.ValueKind != JsonValueKind.Array || servers.GetArrayLength() == 0)
        {
            throw StrataException.BadRequest("Request must include an object with an array of 'serverIds'");
        }

        c.Services.Engine.DropShard(id);
        await c.EmptyAsync(202);
    }
}
