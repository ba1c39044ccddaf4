using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Strata.Server.Tests.Support;

/// <summary>
/// Strata as a separate process (so a test can SIGKILL it), started with `dotnet Strata.Server.dll -config FILE`
/// from the server project's build output (or a given executable, such as the native build), on a free 127.0.0.1 port.
/// </summary>
public sealed partial class ChildServer : IDisposable
{
    private readonly Process _process;

    private ChildServer(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    /// <param name="executable">The server binary to run; null runs the server project's build under dotnet.</param>
    public static async Task<ChildServer> StartAsync(string dataDir, string extraToml = "", string? executable = null)
    {
        var port = FreePort();
        Directory.CreateDirectory(dataDir);
        var config = Path.Combine(dataDir, "..", Path.GetFileName(dataDir) + ".toml");
        await File.WriteAllTextAsync(config, $"""
            bind-address = "127.0.0.1"
            [api]
            port = {port}
            [storage]
            dir = "{dataDir}"
            {extraToml}
            """);
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(ServerAssembly());
        }

        start.ArgumentList.Add("-config");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the server process");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildServer(process, port);
        await child.WaitUntilReadyAsync();
        return child;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"server exited with code {_process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await Client.GetAsync("/ping");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("server did not answer /ping within 60 s");
    }

    /// <summary>SIGKILL: no flush, no clean shutdown.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM and wait for a clean exit; returns the exit code.</summary>
    public int Terminate()
    {
        SendSignal(_process.Id, 15).ShouldBe(0);
        _process.WaitForExit(30_000).ShouldBeTrue("server did not stop within 30 s of SIGTERM");
        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Strata.Server.dll from the server project's output for the same configuration as this test build.</summary>
    internal static string ServerAssembly()
    {
        var directory = RepositoryRoot();
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(directory.FullName, "src", "Strata.Server", "bin", configuration, "net10.0", "Strata.Server.dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("build the server first (dotnet build)", path);
        }

        return path;
    }

    /// <summary>The directory holding Strata.slnx, above this test build's output.</summary>
    internal static DirectoryInfo RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException("cannot find the repository root (Strata.slnx) above " + AppContext.BaseDirectory);
        }

        return directory;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        Client.Dispose();
        _process.Dispose();
    }
}
