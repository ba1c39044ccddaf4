using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Operations;

public class BackupTests
{
    [Fact]
    public async Task BackupWipeRestore_ReturnsIdenticalQueryResults()
    {
        var backup = Path.Combine(Path.GetTempPath(), "strata-tests", "backup-" + Guid.NewGuid().ToString("N"));
        var restored = TestServer.NewDataDir();
        string before;
        string users;
        try
        {
            await using (var server = await TestServer.StartAsync())
            {
                await server.CreateDatabaseAsync("db1");
                await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996800,1,10,"a"],[1399996815,1,2.5,"b"]]},{"name":"mem","columns":["time","v"],"points":[[1399996800,7]]}]""", "s");
                server.Host.Engine.Flush();
                await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996830,1,30]]}]""", "s");
                await server.QueryAsync("db1", "select * from cpu into copy.cpu");
                using (var user = await server.PostAsync(TestServer.Auth("/db/db1/users"), """{"name":"bob","password":"bobpass1"}"""))
                {
                    user.StatusCode.ShouldBe(HttpStatusCode.OK);
                }

                before = JsonSerializer.Serialize(await server.QueryAsync("db1", "select * from /.*/"));
                users = await (await server.GetAsync(TestServer.Auth("/db/db1/users"))).Content.ReadAsStringAsync();
                using var response = await server.PostAsync(TestServer.Auth($"/cluster/backup?path={Uri.EscapeDataString(backup)}"), string.Empty);
                var progress = await TestServer.Expect(response, HttpStatusCode.OK);
                progress.ShouldContain("backup complete");
                progress.ShouldContain("meta.state");
            }

            // Restore with the server's own command into an empty directory, then serve from it.
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])[ChildServer.ServerAssembly(), "--restore", backup, "--data-dir", restored])
            {
                start.ArgumentList.Add(arg);
            }

            using (var process = Process.Start(start)!)
            {
                var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                process.ExitCode.ShouldBe(0, output);
                output.ShouldContain("restore complete");
            }

            await using var again = await TestServer.StartAsync(dataDir: restored);
            JsonSerializer.Serialize(await again.QueryAsync("db1", "select * from /.*/")).ShouldBe(before);
            (await (await again.GetAsync(TestServer.Auth("/db/db1/users"))).Content.ReadAsStringAsync()).ShouldBe(users);
            JsonSerializer.Serialize(await again.QueryAsync("db1", "list continuous queries")).ShouldContain("copy.cpu");
        }
        finally
        {
            foreach (var directory in (string[])[backup, restored])
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunRestoreAsync(string backup, string dataDir)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[ChildServer.ServerAssembly(), "--restore", backup, "--data-dir", dataDir])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task OfflineRestore_RefusesACorruptBlockAndADatabaseSnapshot()
    {
        var root = Path.Combine(Path.GetTempPath(), "strata-tests", "backup-" + Guid.NewGuid().ToString("N"));
        var node = Path.Combine(root, "node");
        var database = Path.Combine(root, "db1");
        var restored = Path.Combine(root, "restored");
        try
        {
            await using (var server = await TestServer.StartAsync())
            {
                await server.CreateDatabaseAsync("db1");
                await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","value"],"points":[[1399996800,10],[1399996815,2.5]]}]""", "s");
                foreach (var (query, target) in new[] { ($"path={Uri.EscapeDataString(node)}", node), ($"path={Uri.EscapeDataString(database)}&db=db1", database) })
                {
                    using var response = await server.PostAsync(TestServer.Auth($"/cluster/backup?{query}"), string.Empty);
                    (await TestServer.Expect(response, HttpStatusCode.OK)).ShouldContain("backup complete");
                    File.Exists(Path.Combine(target, "manifest.state")).ShouldBeTrue();
                }
            }

            var (code, output) = await RunRestoreAsync(database, restored);
            code.ShouldBe(1, output);
            output.ShouldContain("this is a snapshot of database db1: restore it into the running server with POST /cluster/restore");
            Directory.Exists(restored).ShouldBeFalse();

            // One flipped byte inside a block: opening the segment would not notice, the manifest's checksum does.
            var segment = Directory.GetFiles(node, "*.seg", SearchOption.AllDirectories).Single();
            var bytes = await File.ReadAllBytesAsync(segment);
            bytes[20] ^= 0x01;
            await File.WriteAllBytesAsync(segment, bytes);
            (code, output) = await RunRestoreAsync(node, restored);
            code.ShouldBe(1, output);
            output.ShouldContain("checksum mismatch");
            Directory.Exists(restored).ShouldBeFalse();
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Backup_RefusesARelativeOrNonEmptyTarget()
    {
        await using var server = await TestServer.StartAsync();
        using (var relative = await server.PostAsync(TestServer.Auth("/cluster/backup?path=relative/dir"), string.Empty))
        {
            relative.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using var nonEmpty = await server.PostAsync(TestServer.Auth($"/cluster/backup?path={Uri.EscapeDataString(server.DataDir)}"), string.Empty);
        nonEmpty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await nonEmpty.Content.ReadAsStringAsync()).ShouldContain("is not empty");
    }
}
