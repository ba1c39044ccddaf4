using System.Diagnostics;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Clients;

/// <summary>The real 0.8 Python client (Debian python3-influxdb, installed by .ci/run) against a real Strata.</summary>
public class PythonClientTests
{
    [Fact]
    public async Task PythonInfluxdb08Client_CreatesWritesQueriesAndDrops()
    {
        await using var server = await TestServer.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "seed_examples.py");
        var (exitCode, output) = await RunAsync("/usr/bin/python3", script, server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.ShouldContain("all ok", customMessage: output);
        exitCode.ShouldBe(0, output);
    }

    [Fact]
    public async Task PythonInfluxdb08Client_ManagesClusterAdminsAndDatabaseUsers()
    {
        await using var server = await TestServer.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "users.py");
        var (exitCode, output) = await RunAsync("/usr/bin/python3", script, server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        output.ShouldContain("all ok", customMessage: output);
        exitCode.ShouldBe(0, output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        File.Exists(program).ShouldBeTrue($"{program} is missing (the Python client tests need Debian's python3 with python3-influxdb; .ci/run installs it)");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
