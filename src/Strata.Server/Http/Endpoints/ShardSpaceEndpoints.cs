using System.Text.Json;
using Strata.Core;
using Strata.Server.Protocol;
using Strata.Storage.Shards;

namespace Strata.Server.Http.Endpoints;

/// <summary>Shard spaces (reference http-api.md §4.16, §8) and <c>POST /cluster/database_configs/:db</c> (§4.17).</summary>
public static class ShardSpaceEndpoints
{
    public static void Map(Router router)
    {
        router.Get("/cluster/shard_spaces", ListAsync);
        router.Post("/cluster/shard_spaces/:db", CreateAsync);
        router.Post("/cluster/shard_spaces/:db/:name", UpdateAsync);
        router.Delete("/cluster/shard_spaces/:db/:name", DropAsync);
        router.Post("/cluster/database_configs/:db", DatabaseConfigAsync);
    }

    internal static void WriteSpace(GoJsonWriter w, ShardSpace space)
    {
        w.StartObject();
        w.PropertyName("name");
        w.String(space.Name);
        w.PropertyName("database");
        w.String(space.Database);
        w.PropertyName("regex");
        w.String(space.Regex);
        w.PropertyName("retentionPolicy");
        w.String(space.RetentionPolicy);
        w.PropertyName("shardDuration");
        w.String(space.ShardDuration);
        w.PropertyName("replicationFactor");
        w.Int64(space.ReplicationFactor);
        w.PropertyName("split");
        w.Int64(space.Split);
        w.EndObject();
    }

    private static Task ListAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var spaces = c.Services.Engine.Meta.AllShardSpaces();
        return c.JsonAsync(200, w =>
        {
            w.StartArray();
            foreach (var space in spaces)
            {
                WriteSpace(w, space);
            }

            w.EndArray();
        });
    }

    /// <summary>Reads a shard-space object (keys case-insensitive; the admin UI sends "regEx"). Bad JSON is 500.</summary>
    private static ShardSpace ReadSpace(JsonElement element, string database)
    {
        string Text(string key)
        {
            foreach (var member in element.EnumerateObject())
            {
                if (member.Name.Equals(key, StringComparison.OrdinalIgnoreCase))
                {
                    return member.Value.ValueKind switch
                    {
                        JsonValueKind.String => member.Value.GetString()!,
                        JsonValueKind.Null => string.Empty,
                        _ => throw new StrataException(500, $"json: cannot unmarshal {GoJsonBody.Kind(member.Value)} into Go value of type string"),
                    };
                }
            }

            return string.Empty;
        }

        uint Count(string key)
        {
            foreach (var member in element.EnumerateObject())
            {
                if (member.Name.Equals(key, StringComparison.OrdinalIgnoreCase) && member.Value.ValueKind != JsonValueKind.Null)
                {
                    if (member.Value.ValueKind != JsonValueKind.Number)
                    {
                        throw new StrataException(500, $"json: cannot unmarshal {GoJsonBody.Kind(member.Value)} into Go value of type uint32");
                    }

                    if (!member.Value.TryGetUInt32(out var value))
                    {
                        throw new StrataException(500, $"json: cannot unmarshal number {member.Value.GetRawText()} into Go value of type uint32");
                    }

                    return value;
                }
            }

            return 0;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new StrataException(500, $"json: cannot unmarshal {GoJsonBody.Kind(element)} into Go value of type cluster.ShardSpace");
        }

        return new ShardSpace(database, Text("name"), Text("regex"), Text("retentionPolicy"), Text("shardDuration"), Count("replicationFactor"), Count("split"));
    }

    /// <summary>These bodies answer bad JSON with 500 in 0.8 (reference §12 item 22).</summary>
    private static async Task<JsonElement> ReadBodyAsync(ApiContext c) => GoJsonBody.ParseFirstValue(await c.ReadBodyAsync(), errorStatus: 500);

    private static async Task CreateAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var database = c.Route("db");
        var space = ReadSpace(await ReadBodyAsync(c), database);
        Create(c, space, checkDatabase: true);
        await c.EmptyAsync(200);
    }

    /// <summary>0.8's checks in order (§4.16), then the space takes the highest priority of its database.</summary>
    private static void Create(ApiContext c, ShardSpace space, bool checkDatabase)
    {
        var meta = c.Services.Engine.Meta;
        if (meta.ListShardSpaces(space.Database).Exists(s => s.Name == space.Name))
        {
            throw StrataException.BadRequest($"Shard space {space.Name} exists for db {space.Database}");
        }

        if (checkDatabase && meta.FindDatabase(space.Database) is null)
        {
            throw StrataException.BadRequest($"Database '{space.Database}' doesn't exist.");
        }

        space.Validate();
        meta.AddShardSpace(space with { Split = Math.Max(1, space.Split), ReplicationFactor = Math.Max(1, space.ReplicationFactor) });
    }

    private static async Task UpdateAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var database = c.Route("db");
        var name = c.Route("name");
        var update = ReadSpace(await ReadBodyAsync(c), database) with { Name = name };
        var meta = c.Services.Engine.Meta;
        if (meta.FindDatabase(database) is null)
        {
            throw new StrataException(406, "Can't update a shard space for a database that doesn't exist");
        }

        if (!meta.ListShardSpaces(database).Exists(s => s.Name == name))
        {
            throw new StrataException(406, "Can't update a shard space that doesn't exist");
        }

        // Strata choice: replace every field, but validate (0.8.8 silently kept an invalid definition).
        if (update.Split == 0)
        {
            throw StrataException.BadRequest("AddShards called without shards");
        }

        if (update.ReplicationFactor == 0)
        {
            throw StrataException.BadRequest("replicationFactor must be at least 1");
        }

        SpaceRegex.Compile(update.Regex);
        if (update.ShardDuration.Length > 0)
        {
            SpaceDuration.ParseMicros(update.ShardDuration);
        }

        if (update.RetentionPolicy is not ("" or "inf"))
        {
            SpaceDuration.ParseMicros(update.RetentionPolicy);
        }

        meta.ReplaceShardSpace(update);
        await c.EmptyAsync(200);
    }

    private static Task DropAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var database = c.Route("db");
        var name = c.Route("name");
        var engine = c.Services.Engine;
        if (engine.Meta.DropShardSpace(database, name) && engine.Meta.FindDatabase(database) is { } info)
        {
            engine.DropSpaceShards(info, name);
        }

        return c.EmptyAsync(200);
    }

    /// <summary>Creates a database with its spaces and continuous queries in one call (§4.17).</summary>
    private static async Task DatabaseConfigAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var database = c.Route("db");
        var body = await ReadBodyAsync(c);
        var spaces = new List<ShardSpace>();
        var queries = new List<(string Text, Query.Parsing.Ast.SelectStatement Statement)>();
        if (body.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in body.EnumerateObject())
            {
                if (member.Name.Equals("continuousQueries", StringComparison.OrdinalIgnoreCase) && member.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var text in member.Value.EnumerateArray())
                    {
                        var query = text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;
                        IReadOnlyList<Query.Parsing.Ast.Statement> parsed;
                        try
                        {
                            parsed = Query.Parsing.QueryParser.Parse(query);
                        }
                        catch (Query.Parsing.QueryParseException e)
                        {
                            throw StrataException.BadRequest(e.ToShortForm());
                        }

                        foreach (var statement in parsed)
                        {
                            if (statement is not Query.Parsing.Ast.SelectStatement { IsContinuousQuery: true } select)
                            {
                                throw StrataException.BadRequest($"This query isn't a continuous query. Use 'into'. {query}");
                            }

                            queries.Add((query, select));
                        }
                    }
                }
                else if (member.Name.Equals("spaces", StringComparison.OrdinalIgnoreCase) && member.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var space in member.Value.EnumerateArray())
                    {
                        var parsed = ReadSpace(space, database);
                        parsed.Validate();
                        spaces.Add(parsed);
                    }
                }
            }
        }

        if (database.Contains('%', StringComparison.Ordinal))
        {
            throw StrataException.BadRequest($"{database} isn't a valid db name");
        }

        try
        {
            c.Services.Engine.Meta.CreateDatabase(database);
        }
        catch (StrataException e) when (e.Status == 409)
        {
            throw StrataException.BadRequest(e.Message);
        }

        foreach (var space in spaces)
        {
            try
            {
                Create(c, space, checkDatabase: false);
            }
            catch (StrataException e)
            {
                throw new StrataException(500, e.Message);
            }
        }

        foreach (var (_, select) in queries)
        {
            try
            {
                c.Services.Queries.Engine.ContinuousQueries.Create(database, select, Clock.NowMicros());
            }
            catch (StrataException e)
            {
                throw new StrataException(500, e.Message);
            }
        }

        await c.EmptyAsync(201);
    }
}
