using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Strata.Core;

namespace Strata.Server.Http.Endpoints;

/// <summary>
/// Backup and restore while the server runs (Strata only, cluster admins; docs/format/backup.md):
/// <list type="bullet">
/// <item><c>POST /cluster/backup?path=DIR</c> writes a snapshot of the whole node into a new or empty directory on
/// the server; restore it offline with <c>Strata.Server --restore DIR --data-dir EMPTY_DIR</c>.</item>
/// <item><c>POST /cluster/backup?path=DIR&amp;db=NAME</c> writes a snapshot of one database.</item>
/// <item><c>POST /cluster/restore?path=DIR[&amp;db=NEWNAME]</c> restores a database snapshot into the running
/// server, under its own name or NEWNAME.</item>
/// </list>
/// Progress is streamed as text lines while the work runs. Every check that can fail on bad input runs before the
/// first line, so such failures are plain 400s; a failure after streaming began (a disk error) ends the 200
/// response with a line <c>error: …</c> instead of the final <c>… complete: …</c> line.
/// </summary>
public static class BackupEndpoints
{
    public static void Map(Router router)
    {
        router.Post("/cluster/backup", BackupAsync);
        router.Post("/cluster/restore", RestoreAsync);
    }

    private static Task BackupAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var path = AbsolutePath(c, "Backup");
        var database = c.Query("db");
        var engine = c.Services.Engine;
        return StreamProgressAsync(c, progress =>
        {
            if (database is null)
            {
                engine.Backup(path, progress);
            }
            else
            {
                engine.BackupDatabase(database, path, progress);
            }
        });
    }

    private static Task RestoreAsync(ApiContext c)
    {
        c.Services.Auth.ClusterAdmin(c.Request);
        var path = AbsolutePath(c, "Restore");
        var name = c.Query("db");
        var engine = c.Services.Engine;
        return StreamProgressAsync(c, progress => engine.RestoreDatabase(path, name, progress));
    }

    private static string AbsolutePath(ApiContext c, string operation)
    {
        var path = c.Query("path");
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path))
        {
            throw StrataException.BadRequest($"{operation} needs an absolute path parameter");
        }

        return path;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and writes each progress line as it comes. The response starts
    /// (200, text/plain) with the first line, so an exception before it becomes the router's normal error answer.
    /// A client that goes away does not stop the work: a backup or restore always runs to its end.
    /// </summary>
    private static async Task StreamProgressAsync(ApiContext c, Action<Action<string>> work)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var task = Task.Run(() =>
        {
            try
            {
                work(line => lines.Writer.TryWrite(line));
            }
            finally
            {
                lines.Writer.TryComplete();
            }
        });

        var started = false;
        var connected = true;
        await foreach (var line in lines.Reader.ReadAllAsync())
        {
            if (!started)
            {
                started = true;
                c.Response.StatusCode = 200;
                c.Response.ContentType = "text/plain";
            }

            connected = connected && await TryWriteAsync(c.Response, line + "\n");
        }

        try
        {
            await task;
        }
        catch (Exception e) when (started && e is not OperationCanceledException)
        {
            if (connected)
            {
                await TryWriteAsync(c.Response, $"error: {e.Message}\n");
            }
        }
    }

    private static async Task<bool> TryWriteAsync(HttpResponse response, string text)
    {
        try
        {
            await response.WriteAsync(text);
            await response.Body.FlushAsync();
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
