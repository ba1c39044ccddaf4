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

    [Fact]
    public async Task PythonInfluxdb08Client_WritesOverUdp()
    {
        int port;
        using (var probe = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
        {
            port = ((System.Net.IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        await using var server = await TestServer.StartAsync(o => o with
        {
            InputPlugins = o.InputPlugins with { Udp = new Strata.Server.Config.UdpInputOptions { Enabled = true, Port = port, Database = "udpdb" } },
        });
        await server.CreateDatabaseAsync("udpdb");
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "udp.py");
        var (exitCode, output) = await RunAsync("/usr/bin/python3", script, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        exitCode.ShouldBe(0, output);

        // UDP is fire-and-forget: poll briefly for the points to land.
        var text = string.Empty;
        for (var i = 0; i < 50; i++)
        {
            var (status, body) = await server.QueryRawAsync("udpdb", "select value from udp_series", "time_precision=s");
            text = body;
            if (status == System.Net.HttpStatusCode.OK && body.Contains("1400000001", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(100);
        }

        System.Text.Json.JsonDocument.Parse(text).RootElement[0].GetProperty("points").GetRawText().ShouldBe("[[1400000001,20001,2],[1400000000,10001,1.5]]");
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
