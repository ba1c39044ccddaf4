using System.Text.Json;
using Strata.Core;
using Strata.Server.Auth;
using Strata.Server.Protocol;
using Strata.Storage.Meta;

namespace Strata.Server.Http.Endpoints;

/// <summary>Users of one database (reference http-api.md §4.9): authenticate, list, create, show, update, delete.</summary>
public static class DatabaseUserEndpoints
{
    public static void Map(Router router)
    {
        router.Get("/db/:db/authenticate", c =>
        {
            c.Services.Auth.DatabaseUser(c.Request, c.Route("db"));
            return c.EmptyAsync(200);
        });
        router.Get("/db/:db/users", ListAsync);
        router.Post("/db/:db/users", CreateAsync);
        router.Get("/db/:db/users/:user", ShowAsync);
        router.Post("/db/:db/users/:user", UpdateAsync);
        router.Delete("/db/:db/users/:user", DeleteAsync);
    }

    private static Principal RequireAdmin(ApiContext c, string database, string action)
    {
        var principal = c.Services.Auth.DatabaseUserOrClusterAdmin(c.Request, database);
        if (!principal.IsDatabaseAdmin)
        {
            throw StrataException.Forbidden($"Insufficient permissions to {action} on {database}");
        }

        return principal;
    }

    private static void WriteUser(GoJsonWriter w, DatabaseUser user)
    {
        w.StartObject();
        w.PropertyName("name");
        w.String(user.Name);
        w.PropertyName("isAdmin");
        w.Bool(user.IsAdmin);
        w.PropertyName("writeTo");
        w.String(user.WriteTo);
        w.PropertyName("readFrom");
        w.String(user.ReadFrom);
        w.EndObject();
    }

    private static Task ListAsync(ApiContext c)
    {
        var database = c.Route("db");
        RequireAdmin(c, database, "list db users");
        var users = c.Services.Engine.Meta.ListDatabaseUsers(database);
        return c.JsonAsync(200, w =>
        {
            w.StartArray();
            foreach (var user in users)
            {
                WriteUser(w, user);
            }

            w.EndArray();
        });
    }

    private static async Task CreateAsync(ApiContext c)
    {
        var database = c.Route("db");
        var body = GoJsonBody.ParseObject(await c.ReadBodyAsync(), "http.NewUser");
        var name = body.GetString("name");
        var password = body.GetString("password");
        var isAdmin = body.GetBool("isAdmin");
        var readFrom = body.GetString("readFrom");
        var writeTo = body.GetString("writeTo");
        var principal = c.Services.Auth.DatabaseUserOrClusterAdmin(c.Request, database);

        // The order of 0.8's checks (§4.9.3).
        if (readFrom.Length > 0 || writeTo.Length > 0)
        {
            if (readFrom.Length == 0 || writeTo.Length == 0)
            {
                throw StrataException.BadRequest("You have to provide read and write permissions");
            }
        }
        else
        {
            readFrom = ".*";
            writeTo = ".*";
        }

        if (!principal.IsDatabaseAdmin)
        {
            throw StrataException.Forbidden($"Insufficient permissions to create db user on {database}");
        }

        UserRules.CheckName(name);
        UserRules.CheckPassword(password);
        UserRules.CheckRegex(readFrom);
        UserRules.CheckRegex(writeTo);
        var meta = c.Services.Engine.Meta;
        if (meta.FindDatabase(database) is null)
        {
            throw StrataException.BadRequest($"No such database {database}");
        }

        if (meta.FindDatabaseUser(database, name) is not null)
        {
            throw StrataException.BadRequest($"User {name} already exists");
        }

        meta.UpsertDatabaseUser(new DatabaseUser(database, name, PasswordHasher.Hash(password), isAdmin, readFrom, writeTo));
        await c.EmptyAsync(200);
    }

    private static Task ShowAsync(ApiContext c)
    {
        var database = c.Route("db");
        RequireAdmin(c, database, "get db user");
        var name = c.Route("user");
        var user = c.Services.Engine.Meta.FindDatabaseUser(database, name)
            ?? throw StrataException.BadRequest($"Invalid username {name}");
        return c.JsonAsync(200, w => WriteUser(w, user));
    }

    /// <summary>password, then readFrom/writeTo, then admin; each applied before the next is looked at (§4.9.5).</summary>
    private static async Task UpdateAsync(ApiContext c)
    {
        var database = c.Route("db");
        var name = c.Route("user");
        var body = GoJsonBody.ParseObject(await c.ReadBodyAsync(), "map[string]interface {}");
        var principal = c.Services.Auth.DatabaseUserOrClusterAdmin(c.Request, database);
        var meta = c.Services.Engine.Meta;

        if (body.TryGetExact("password", out var password))
        {
            if (password.ValueKind != JsonValueKind.String)
            {
                throw StrataException.BadRequest("password must be string");
            }

            var self = principal.DatabaseUser is { } me && me.Name == name;
            if (!principal.IsDatabaseAdmin && !self)
            {
                throw StrataException.Forbidden($"Insufficient permissions to change db user password for {name} on {database}");
            }

            UserRules.CheckPassword(password.GetString()!);
            var user = Existing(meta, database, name);
            meta.UpsertDatabaseUser(user with { PasswordHash = PasswordHasher.Hash(password.GetString()!) });
        }

        if (body.TryGetExact("readFrom", out var readFrom))
        {
            if (!body.TryGetExact("writeTo", out var writeTo))
            {
                throw StrataException.BadRequest("Changing permissions requires passing readFrom and writeTo");
            }

            if (readFrom.ValueKind != JsonValueKind.String || writeTo.ValueKind != JsonValueKind.String)
            {
                throw StrataException.BadRequest("readFrom and writeTo must be strings");
            }

            if (!principal.IsDatabaseAdmin)
            {
                throw StrataException.Forbidden($"Insufficient permissions to change db user permissions on {database}");
            }

            UserRules.CheckRegex(readFrom.GetString()!);
            UserRules.CheckRegex(writeTo.GetString()!);
            var user = Existing(meta, database, name);
            meta.UpsertDatabaseUser(user with { ReadFrom = readFrom.GetString()!, WriteTo = writeTo.GetString()! });
        }

        if (body.TryGetExact("admin", out var admin))
        {
            if (admin.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw StrataException.BadRequest("admin must be boolean");
            }

            if (!principal.IsDatabaseAdmin)
            {
                throw StrataException.Forbidden($"Insufficient permissions to grant db user admin privileges on {database}");
            }

            var user = Existing(meta, database, name);
            meta.UpsertDatabaseUser(user with { IsAdmin = admin.GetBoolean() });
        }

        await c.EmptyAsync(200);
    }

    private static DatabaseUser Existing(MetaStore meta, string database, string name)
    {
        if (meta.ListDatabaseUsers(database).Count == 0)
        {
            throw StrataException.BadRequest($"Invalid database name {database}");
        }

        return meta.FindDatabaseUser(database, name) ?? throw StrataException.BadRequest($"Invalid username {name}");
    }

    private static Task DeleteAsync(ApiContext c)
    {
        var database = c.Route("db");
        RequireAdmin(c, database, "delete db user");
        var name = c.Route("user");
        if (!c.Services.Engine.Meta.DeleteDatabaseUser(database, name))
        {
            throw StrataException.BadRequest($"User {name} doesn't exist");
        }

        return c.EmptyAsync(200);
    }
}
