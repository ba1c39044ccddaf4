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
