using Strata.Core;

namespace Strata.Server.Http.Endpoints;

/// <summary>
/// <c>POST /cluster/backup?path=DIR</c> (Strata only, cluster admins): writes a consistent snapshot of the running
/// node into a new directory on the server and streams one progress line per file. Restore it with
/// <c>Strata.Server --restore DIR --data-dir EMPTY_DIR</c>.
/// </summary>
public static class BackupEndpoints
{
    public static void Map(Router router) => router.Post("/cluster/backup", async c =>
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var path = c.Query("path");
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path))
        {
            throw StrataException.BadRequest("Backup needs an absolute path parameter");
        }

        var lines = new List<string>();
        await Task.Run(() => c.Services.Engine.Backup(path, lines.Add));
        await c.TextAsync(200, string.Join('\n', lines) + "\n");
    });
}
