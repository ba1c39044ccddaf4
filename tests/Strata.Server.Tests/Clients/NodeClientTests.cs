using System.Diagnostics;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Clients;

/// <summary>The real 0.8-era node client, npm influx@3 (tests/clients, installed by .ci/run with npm ci), against a real Strata.</summary>
public class NodeClientTests
{
    [Fact]
    public async Task Influx3NodeClient_EveryMethodWorks()
    {
        await using var server = await TestServer.StartAsync();
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
        {
            directory = directory.Parent;
        }

        directory.ShouldNotBeNull();
        var clients = Path.Combine(directory.FullName, "tests", "clients");
        Directory.Exists(Path.Combine(clients, "node_modules", "influx")).ShouldBeTrue("run `npm ci` in tests/clients (.ci/run does)");
        var start = new ProcessStartInfo("node") { WorkingDirectory = clients, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("influx3.js");
        start.ArgumentList.Add(server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        output.ShouldContain("all ok", customMessage: output);
        process.ExitCode.ShouldBe(0, output);
    }
}
