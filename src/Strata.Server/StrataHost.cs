using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Strata.Server.Auth;
using Strata.Server.Background;
using Strata.Server.Config;
using Strata.Server.Http;
using Strata.Server.Http.Endpoints;
using Strata.Storage;

namespace Strata.Server;

/// <summary>
/// A running Strata: the storage engine opened (and recovered) while the API listener starts, requests held until
/// recovery is done. Used by Program and by tests, which start it on an ephemeral 127.0.0.1 port with a temp data
/// directory.
/// </summary>
public sealed class StrataHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StorageEngine _engine;
    private readonly ContinuousQueryScheduler _scheduler;
    private RetentionSweeper? _sweeper;
    private List<Inputs.UdpJsonInput> _inputs = [];
    private int _disposed;

    private StrataHost(WebApplication app, StorageEngine engine, ContinuousQueryScheduler scheduler, Uri apiAddress)
    {
        _app = app;
        _engine = engine;
        _scheduler = scheduler;
        ApiAddress = apiAddress;
    }

    /// <summary>The base address of the HTTP API, e.g. http://127.0.0.1:8086/.</summary>
    public Uri ApiAddress { get; }

    public StorageEngine Engine => _engine;

    /// <summary>The HTTPS API address when <c>ssl-port</c> and <c>ssl-cert</c> are configured.</summary>
    public Uri? HttpsAddress { get; private init; }

    /// <summary>Where Kestrel's sockets get the memory they read into and write from.</summary>
    public LargeBlockMemoryPool.Factory SocketMemory { get; private init; } = null!;

    /// <param name="ephemeralPort">Listen on 127.0.0.1 with a port the OS picks (tests).</param>
    public static async Task<StrataHost> StartAsync(StrataOptions options, Action<ILoggingBuilder>? logging = null, bool ephemeralPort = false)
    {
        // Strata reads its own TOML; the host's appsettings.json would only cost a file watcher thread at start-up.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }

        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        // Sockets read into 64 KiB blocks instead of Kestrel's 4 KiB ones: a receive call, a pipe flush and a wake-up
        // of the body reader for each 64 KiB of a write body, not each 4 KiB (LargeBlockMemoryPool). A connection
        // waits for data with a zero-byte receive before it takes a block, so an idle one holds none.
        var socketMemory = new LargeBlockMemoryPool.Factory();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(socketMemory);
        builder.WebHost.UseSockets();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;

            // Queries travel in the URL; long from-lists need more than Kestrel's 8 KiB request line.
            kestrel.Limits.MaxRequestLineSize = 1 << 20;
            kestrel.Limits.MaxRequestBufferSize = 2 << 20;
            kestrel.Limits.MaxRequestHeadersTotalSize = 1 << 20;
            kestrel.Limits.RequestHeadersTimeout = options.ReadTimeout;
            kestrel.Limits.KeepAliveTimeout = options.ReadTimeout > TimeSpan.FromSeconds(5) ? options.ReadTimeout : TimeSpan.FromSeconds(5);
            if (ephemeralPort)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
                if (options.SslCert.Length > 0)
                {
                    kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(LoadPem(options.SslCert)));
                }

                return;
            }

            if (options.ApiPort > 0)
            {
                Listen(kestrel, options.BindAddress, options.ApiPort, null);
            }

            if (options.SslPort > 0 && options.SslCert.Length > 0)
            {
                Listen(kestrel, options.BindAddress, options.SslPort, options.SslCert);
            }
        });

        var app = builder.Build();
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        var storageOptions = new StorageOptions { DataDirectory = Path.GetFullPath(options.DataDir), MemtableBytes = options.MemtableBytes };
        var storageLogger = loggerFactory.CreateLogger("Strata.Storage");

        // Recovery (WAL replay) runs on a thread of its own while the listener starts; requests that arrive in the
        // meantime wait at the gate, so none is answered before every acknowledged point is back.
        var opening = Task.Factory.StartNew(() => StorageEngine.Open(storageOptions, storageLogger), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var gate = new RouterGate();
        app.Run(gate.DispatchAsync);
        StorageEngine engine;
        StrataServices services;
        try
        {
            try
            {
                await app.StartAsync();
            }
            finally
            {
                // Whether or not the listener started, the engine must be open (or have failed) before going on.
                engine = await opening;
            }
        }
        catch
        {
            gate.Fail();
            if (opening.IsCompletedSuccessfully)
            {
                opening.Result.Dispose();
            }

            await app.StopAsync();
            await app.DisposeAsync();
            throw;
        }

        try
        {
            var hasher = new PasswordHasher();
            RootUser.EnsureRoot(engine.Meta, options, loggerFactory.CreateLogger("Strata.Auth"));
            services = new StrataServices(options, engine, new Authenticator(engine.Meta, hasher), new QueryResponder(engine, options));
            var router = new Router(services, loggerFactory.CreateLogger("Strata.Http"));
            PingEndpoints.Map(router);
            DatabaseEndpoints.Map(router);
            SeriesEndpoints.Map(router);
            MetricsEndpoints.Map(router);
            ClusterAdminEndpoints.Map(router);
            DatabaseUserEndpoints.Map(router);
            ShardSpaceEndpoints.Map(router);
            ClusterEndpoints.Map(router);
            BackupEndpoints.Map(router);
            gate.Open(router);
        }
        catch
        {
            gate.Fail();
            await app.StopAsync();
            await app.DisposeAsync();
            engine.Dispose();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.FirstOrDefault(a => a.StartsWith("http:", StringComparison.Ordinal))
            ?? addresses.FirstOrDefault()
            ?? $"http://{options.BindAddress}:{options.ApiPort}";
        var https = addresses.FirstOrDefault(a => a.StartsWith("https:", StringComparison.Ordinal));
        var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
        var scheduler = new ContinuousQueryScheduler(services.Queries.Engine, loggerFactory.CreateLogger("Strata.ContinuousQueries"));
        var inputs = new List<Inputs.UdpJsonInput>();
        foreach (var udp in (IEnumerable<UdpInputOptions>)[options.InputPlugins.Udp, .. options.InputPlugins.UdpServers])
        {
            // 0.8 starts a plugin only with a database and a port in 1–65535 (reference §10.1).
            if (udp.Enabled && udp.Port is > 0 and < 65536 && udp.Database.Length > 0)
            {
                inputs.Add(new Inputs.UdpJsonInput(services, options.BindAddress, udp.Port, udp.Database, loggerFactory.CreateLogger("Strata.Inputs.Udp")));
            }
        }

        var sweeper = new RetentionSweeper(engine, options.RetentionSweepPeriod, loggerFactory.CreateLogger("Strata.Retention"));
        return new StrataHost(app, engine, scheduler, uri)
        {
            _sweeper = sweeper,
            _inputs = inputs,
            SocketMemory = socketMemory,
            HttpsAddress = https is null ? null : new Uri(https.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/"),
        };
    }

    private static void Listen(KestrelServerOptions kestrel, string bindAddress, int port, string? pemPath)
    {
        void Configure(ListenOptions listen)
        {
            if (pemPath is not null)
            {
                listen.UseHttps(LoadPem(pemPath));
            }
        }

        if (bindAddress.Length == 0 || bindAddress is "0.0.0.0")
        {
            kestrel.ListenAnyIP(port, Configure);
        }
        else if (bindAddress is "localhost")
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(bindAddress), port, Configure);
        }
    }

    /// <summary>0.8's ssl-cert: one PEM file holding the certificate and its private key.</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadPem(string path)
    {
        try
        {
            return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(path);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new IOException($"cannot load ssl-cert {path}: {e.Message}", e);
        }
    }

    /// <summary>Blocks until the host is asked to stop (SIGTERM, Ctrl-C).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        foreach (var input in _inputs)
        {
            await input.DisposeAsync();
        }

        await _scheduler.DisposeAsync();
        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync();
        }
        await _app.DisposeAsync();
        _engine.Dispose();
    }
}
