using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Server.Http.Endpoints;

/// <summary><c>GET /db</c>, <c>POST /db</c>, <c>DELETE /db/:name</c> (reference http-api.md §4.5–4.7), cluster admins only.</summary>
public static class DatabaseEndpoints
{
    public static void Map(Router router)
    {
        router.Get("/db", ListAsync);
        router.Post("/db", CreateAsync);
        router.Delete("/db/:name", DropAsync);
    }

    private static Task ListAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var databases = c.Services.Engine.Meta.ListDatabases();
        return c.JsonAsync(200, w =>
        {
            w.StartArray();
            foreach (var db in databases)
            {
                w.StartObject();
                w.PropertyName("name");
                w.String(db.Name);
                w.EndObject();
            }

            w.EndArray();
        });
    }

    private static async Task CreateAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var body = GoJsonBody.ParseObject(await c.ReadBodyAsync(), "http.createDatabaseRequest");
        var name = body.GetString("name");
        if (name.Trim(' ').Length == 0)
        {
            throw StrataException.BadRequest("Unable to create database without name");
        }

        if (name.Contains('%', StringComparison.Ordinal))
        {
            throw StrataException.BadRequest($"{name} isn't a valid db name");
        }

        c.Services.Engine.Meta.CreateDatabase(name);
        await c.EmptyAsync(201);
    }

    private static Task DropAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        c.Services.Engine.DropDatabase(c.Route("name"));
        return c.EmptyAsync(204);
    }
}
