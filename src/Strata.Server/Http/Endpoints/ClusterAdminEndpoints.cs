using Strata.Core;
using Strata.Server.Auth;
using Strata.Server.Protocol;
using Strata.Storage.Meta;

namespace Strata.Server.Http.Endpoints;

/// <summary>Cluster admins (reference http-api.md §4.8): list, authenticate, create, change password, delete.</summary>
public static class ClusterAdminEndpoints
{
    public static void Map(Router router)
    {
        router.Get("/cluster_admins", ListAsync);
        router.Get("/cluster_admins/authenticate", c =>
        {
            c.Services.Auth.ClusterAdmin(c.Request);
            return c.EmptyAsync(200);
        });
        router.Post("/cluster_admins", CreateAsync);
        router.Post("/cluster_admins/:user", ChangePasswordAsync);
        router.Delete("/cluster_admins/:user", DeleteAsync);
    }

    private static Task ListAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var admins = c.Services.Engine.Meta.ListClusterAdmins();
        return c.JsonAsync(200, w =>
        {
            w.StartArray();
            foreach (var admin in admins)
            {
                w.StartObject();
                w.PropertyName("name");
                w.String(admin.Name);
                w.EndObject();
            }

            w.EndArray();
        });
    }

    private static async Task CreateAsync(ApiContext c)
    {
        // 0.8 decodes the body before authenticating (§4.8.3).
        var body = GoJsonBody.ParseObject(await c.ReadBodyAsync(), "http.NewUser");
        var name = body.GetString("name");
        var password = body.GetString("password");
        body.GetBool("isAdmin");
        c.Services.Auth.ClusterAdmin(c.Request);
        UserRules.CheckName(name);
        UserRules.CheckPassword(password);
        var meta = c.Services.Engine.Meta;
        if (meta.FindClusterAdmin(name) is not null)
        {
            throw StrataException.BadRequest($"User {name} already exists");
        }

        meta.UpsertClusterAdmin(new ClusterAdmin(name, PasswordHasher.Hash(password)));
        await c.EmptyAsync(200);
    }

    private static async Task ChangePasswordAsync(ApiContext c)
    {
        // Decoded before authentication, and bad JSON is a 500 here (§4.8.4).
        var body = GoJsonBody.ParseObject(await c.ReadBodyAsync(), "http.UpdateClusterAdminUser", errorStatus: 500);
        var password = body.GetString("password", errorStatus: 500);
        c.Services.Auth.ClusterAdmin(c.Request);
        var name = c.Route("user");
        var meta = c.Services.Engine.Meta;
        if (meta.FindClusterAdmin(name) is null)
        {
            throw StrataException.BadRequest($"Invalid user name {name}");
        }

        UserRules.CheckPassword(password);
        meta.UpsertClusterAdmin(new ClusterAdmin(name, PasswordHasher.Hash(password)));
        await c.EmptyAsync(200);
    }

    private static Task DeleteAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var name = c.Route("user");
        var meta = c.Services.Engine.Meta;
        if (meta.FindClusterAdmin(name) is null)
        {
            throw StrataException.BadRequest($"User {name} doesn't exists");
        }

        // Strata choice: keep at least one cluster admin (0.8.8's plugins and CQs broke without one).
        if (meta.ListClusterAdmins().Count == 1)
        {
            throw StrataException.BadRequest("Cannot delete the last cluster admin");
        }

        meta.DeleteClusterAdmin(name);
        return c.EmptyAsync(200);
    }
}
