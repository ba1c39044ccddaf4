using System.Net;
using Microsoft.Extensions.Logging;

namespace Strata.Server.Config;

/// <summary>
/// Everything the Strata process is configured with, bound by <see cref="OptionsLoader"/> from the
/// 0.8 <c>config.toml</c>, the command line and the environment (precedence: flag &gt; file &gt; default).
/// </summary>
/// <remarks>
/// Defaults differ in one respect between the two ways of starting. With no <c>-config</c> Strata runs
/// on the embedded defaults written here: API on 127.0.0.1:8086, admin UI on 8083. With a
/// <c>-config</c> file it behaves as 0.8.8: a listener whose port the file omits is disabled (port 0),
/// and an omitted <c>bind-address</c> means every interface (<c>""</c>); see
/// <see cref="OptionsLoader.FileDefaults"/>. Ports are 0–65535, 0 meaning "not listening".
/// </remarks>
public sealed record StrataOptions
{
    /// <summary>The number of bytes in one mebibyte, the unit of the size keys.</summary>
    public const long MiB = 1024 * 1024;

    // ── what the process should do ─────────────────────────────────────────────────────────────

    /// <summary>Restore this backup directory into the data directory and exit (flag <c>-restore</c>, Strata only); default null.</summary>
    public string? RestoreFrom { get; init; }

    /// <summary>Print the version line and exit 0 instead of starting (flag <c>-v</c>); default false.</summary>
    public bool PrintVersion { get; init; }

    /// <summary>Print <see cref="OptionsLoader.Usage"/> and exit 0 instead of starting (flag <c>-h</c>); default false.</summary>
    public bool PrintHelp { get; init; }

    /// <summary>The configuration file that was loaded (flag <c>-config</c>); default null, meaning the embedded defaults.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>File to write the process id into at start (flag <c>-pidfile</c>); default null, meaning none.</summary>
    public string? PidFile { get; init; }

    /// <summary>Re-create the cluster admin <c>root</c> with <see cref="InitialRootPassword"/> at start (flag <c>-reset-root</c>); default false.</summary>
    public bool ResetRoot { get; init; }

    /// <summary>Check the data directory before serving (flag <c>-repair-ldb</c>, LevelDB repair in 0.8); default false.</summary>
    public bool RepairLdb { get; init; }

    /// <summary>Password given to <c>root</c> when it is created or reset (env <c>INFLUXDB_INIT_PWD</c>, 4–56 bytes); default "root".</summary>
    public string InitialRootPassword { get; init; } = "root";

    // ── identity and listeners ─────────────────────────────────────────────────────────────────

    /// <summary>Name this node advertises in <c>/cluster/servers</c> (<c>hostname</c>, flag <c>-hostname</c>); default the OS host name, else "localhost".</summary>
    public string Hostname { get; init; } = DetectHostname();

    /// <summary>Address every listener binds to (<c>bind-address</c>, flag <c>--bind-address</c>; "" = all interfaces); default "127.0.0.1", or "" when a config file omits it.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Plain HTTP API port (<c>[api] port</c>, flag <c>--api-port</c>; 0 = disabled); default 8086, or 0 when a config file omits it.</summary>
    public int ApiPort { get; init; } = 8086;

    /// <summary>HTTPS API port (<c>[api] ssl-port</c>; HTTPS runs only when this and <see cref="SslCert"/> are both set); default 0.</summary>
    public int SslPort { get; init; }

    /// <summary>PEM file holding both the certificate and its private key (<c>[api] ssl-cert</c>); default "" (no HTTPS).</summary>
    public string SslCert { get; init; } = "";

    /// <summary>Deadline for reading one request's headers and body, and for an idle keep-alive connection (<c>[api] read-timeout</c>); default 5 s.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest request body accepted, in bytes (<c>[api] max-body-size</c>, Strata only; 0 = no limit); default 64 MiB.</summary>
    public long MaxBodyBytes { get; init; } = 64 * MiB;

    /// <summary>Admin web UI port (<c>[admin] port</c>; 0 = disabled); default 8083, or 0 when a config file omits it.</summary>
    public int AdminPort { get; init; } = 8083;

    /// <summary>Raft port shown in <c>/cluster/servers</c>; nothing listens on it (<c>[raft] port</c>, flag <c>-raft-port</c>); default 8090, or 0 when a config file omits it.</summary>
    public int RaftPort { get; init; } = 8090;

    /// <summary>Protobuf port shown in <c>/cluster/servers</c>; nothing listens on it (<c>[cluster] protobuf_port</c>, flag <c>-protobuf-port</c>); default 8099, or 0 when a config file omits it.</summary>
    public int ProtobufPort { get; init; } = 8099;

    /// <summary>True when HTTPS should be served: both <see cref="SslPort"/> and <see cref="SslCert"/> are set; default false.</summary>
    public bool HttpsEnabled => SslPort > 0 && SslCert.Length > 0;

    // ── storage ────────────────────────────────────────────────────────────────────────────────

    /// <summary>Data directory holding metadata, WAL and segments (<c>[storage] dir</c>, flag <c>--data-dir</c>); default "./strata-data".</summary>
    public string DataDir { get; init; } = "./strata-data";

    /// <summary>How often expired shards are looked for and dropped (<c>[storage] retention-sweep-period</c>); default 10 min.</summary>
    public TimeSpan RetentionSweepPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Points per chunk of a scan and of a <c>chunked=true</c> response (<c>[storage] point-batch-size</c>, else <c>[leveldb] point-batch-size</c>); default 100.</summary>
    public int PointBatchSize { get; init; } = 100;

    /// <summary>
    /// Bytes the memtables of all shards may hold before they are frozen and flushed (<c>[storage] memtable-size</c>,
    /// Strata only); default 64 MiB. Writes wait while they hold twice this and a flush is behind.
    /// </summary>
    public long MemtableBytes { get; init; } = 64 * MiB;

    // ── logging ────────────────────────────────────────────────────────────────────────────────

    /// <summary>Lowest level logged (<c>[logging] level</c>: fine = Trace, debug, info, warn, error); default Information.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Log destination: "stdout", a syslog facility (<c>syslog</c>, <c>local0</c>…<c>local7</c>) or a file path (<c>[logging] file</c>, overridden by <c>-stdout</c> and <c>-syslog</c>); default "stdout".</summary>
    public string LogFile { get; init; } = "stdout";

    /// <summary>Whether <c>-stdout</c> was given (it sets <see cref="LogFile"/> to "stdout"); default false.</summary>
    public bool LogToStdout { get; init; }

    /// <summary>Syslog facility given with <c>-syslog</c> (it sets <see cref="LogFile"/> to the facility); default null.</summary>
    public string? Syslog { get; init; }

    // ── inputs ─────────────────────────────────────────────────────────────────────────────────

    /// <summary>The Graphite, collectd and UDP JSON listeners (<c>[input_plugins.*]</c>); default all disabled.</summary>
    public InputPluginOptions InputPlugins { get; init; } = new();

    /// <summary>The OS host name, or "localhost" when it cannot be read (0.8's <c>HostnameOrDetect</c>).</summary>
    public static string DetectHostname()
    {
        try
        {
            var name = Dns.GetHostName();
            return string.IsNullOrWhiteSpace(name) ? "localhost" : name;
        }
        catch (Exception)
        {
            return "localhost";
        }
    }
}
