using System.Globalization;
using Microsoft.Extensions.Logging;
using Strata.Server.Config;

namespace Strata.Server.Tests.Config;

public sealed class OptionsLoaderTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    // ── defaults ───────────────────────────────────────────────────────────────────────────────

    [Fact]
    public void Load_WithoutConfig_UsesEmbeddedDefaults()
    {
        var (o, log) = Run([]);

        o.ConfigPath.ShouldBeNull();
        o.Hostname.ShouldNotBeNullOrWhiteSpace();
        o.BindAddress.ShouldBe("127.0.0.1");
        o.ApiPort.ShouldBe(8086);
        o.AdminPort.ShouldBe(8083);
        o.SslPort.ShouldBe(0);
        o.SslCert.ShouldBe("");
        o.HttpsEnabled.ShouldBeFalse();
        o.ReadTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        o.MaxBodyBytes.ShouldBe(64L << 20);
        o.RaftPort.ShouldBe(8090);
        o.ProtobufPort.ShouldBe(8099);
        o.DataDir.ShouldBe("./strata-data");
        o.RetentionSweepPeriod.ShouldBe(TimeSpan.FromMinutes(10));
        o.PointBatchSize.ShouldBe(100);
        o.MemtableBytes.ShouldBe(64L << 20);
        o.LogLevel.ShouldBe(LogLevel.Information);
        o.LogFile.ShouldBe("stdout");
        o.LogToStdout.ShouldBeFalse();
        o.Syslog.ShouldBeNull();
        o.PidFile.ShouldBeNull();
        o.ResetRoot.ShouldBeFalse();
        o.RepairLdb.ShouldBeFalse();
        o.PrintVersion.ShouldBeFalse();
        o.PrintHelp.ShouldBeFalse();
        o.InitialRootPassword.ShouldBe("root");
        o.InputPlugins.Graphite.ShouldBe(new GraphiteOptions { Address = "127.0.0.1" });
        o.InputPlugins.Collectd.ShouldBe(new CollectdOptions { Address = "127.0.0.1" });
        o.InputPlugins.Udp.ShouldBe(new UdpInputOptions());
        o.InputPlugins.UdpServers.ShouldBeEmpty();
        log.ShouldBe("");
    }

    [Fact]
    public void Load_EmptyConfigFile_DisablesListenersAndBindsAllInterfacesAs08Does()
    {
        var (o, log) = RunToml("");

        o.BindAddress.ShouldBe("");
        o.ApiPort.ShouldBe(0);
        o.AdminPort.ShouldBe(0);
        o.RaftPort.ShouldBe(0);
        o.ProtobufPort.ShouldBe(0);
        o.ReadTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        o.DataDir.ShouldBe("./strata-data");
        o.PointBatchSize.ShouldBe(100);
        o.LogFile.ShouldBe("stdout");
        o.ConfigPath.ShouldNotBeNull();
        log.ShouldContain("the HTTP API will not listen");
    }

    [Fact]
    public void Load_ConfigSample_LoadsAndReportsEveryIgnoredKeyOnce()
    {
        var sample = Path.Combine(RepoRoot(), "config.sample.toml");
        var (o, log) = Run(["-config", sample]);

        o.ConfigPath.ShouldBe(sample);
        o.BindAddress.ShouldBe("0.0.0.0");
        o.ApiPort.ShouldBe(8086);
        o.AdminPort.ShouldBe(8083);
        o.ReadTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        o.RaftPort.ShouldBe(8090);
        o.ProtobufPort.ShouldBe(8099);
        o.PointBatchSize.ShouldBe(100);
        o.RetentionSweepPeriod.ShouldBe(TimeSpan.FromMinutes(10));
        o.InputPlugins.Graphite.Enabled.ShouldBeFalse();
        o.InputPlugins.UdpServers.Count.ShouldBe(1);
        foreach (var key in new[] { "reporting-disabled", "raft.dir", "storage.write-buffer-size", "cluster.protobuf_timeout", "wal.requests-per-logfile", "storage.engines.leveldb.lru-cache-size" })
        {
            Count(log, $"config key {key} is accepted and ignored").ShouldBe(1, key);
        }
    }

    // ── every key, one line each: TOML, option path, expected value (invariant ToString) ─────────

    [Theory]
    [InlineData("hostname = \"db1\"", "Hostname", "db1")]
    [InlineData("bind-address = \"0.0.0.0\"", "BindAddress", "0.0.0.0")]
    [InlineData("bind_address = \"10.0.0.1\"", "BindAddress", "10.0.0.1")]
    [InlineData("[logging]\nlevel = \"fine\"", "LogLevel", "Trace")]
    [InlineData("[logging]\nlevel = \"debug\"", "LogLevel", "Debug")]
    [InlineData("[logging]\nlevel = \"info\"", "LogLevel", "Information")]
    [InlineData("[logging]\nlevel = \"warn\"", "LogLevel", "Warning")]
    [InlineData("[logging]\nlevel = \"error\"", "LogLevel", "Error")]
    [InlineData("[logging]\nlevel = \"WARN\"", "LogLevel", "Warning")]
    [InlineData("[logging]\nfile = \"/var/log/strata.log\"", "LogFile", "/var/log/strata.log")]
    [InlineData("[logging]\nfile = \"local0\"", "LogFile", "local0")]
    [InlineData("[logging]\nfile = \"\"", "LogFile", "stdout")]
    [InlineData("[admin]\nport = 8083", "AdminPort", "8083")]
    [InlineData("[api]\nport = 8086", "ApiPort", "8086")]
    [InlineData("[API]\nPORT = 1234", "ApiPort", "1234")]
    [InlineData("[api]\nssl-port = 8087", "SslPort", "8087")]
    [InlineData("[api]\nssl_port = 8088", "SslPort", "8088")]
    [InlineData("[api]\nssl-cert = \"/etc/strata.pem\"", "SslCert", "/etc/strata.pem")]
    [InlineData("[api]\nssl-port = 8087\nssl-cert = \"c.pem\"", "HttpsEnabled", "True")]
    [InlineData("[api]\nread-timeout = \"1h30m\"", "ReadTimeout", "01:30:00")]
    [InlineData("[api]\nread_timeout = \"250ms\"", "ReadTimeout", "00:00:00.2500000")]
    [InlineData("[api]\nread-timeout = \"1.5s\"", "ReadTimeout", "00:00:01.5000000")]
    [InlineData("[api]\nread-timeout = \"0s\"", "ReadTimeout", "00:00:05")]
    [InlineData("[api]\nread-timeout = \"\"", "ReadTimeout", "00:00:05")]
    [InlineData("[api]\nmax-body-size = \"1g\"", "MaxBodyBytes", "1073741824")]
    [InlineData("[api]\nmax-body-size = \"512k\"", "MaxBodyBytes", "524288")]
    [InlineData("[api]\nmax_body_size = 1000", "MaxBodyBytes", "1000")]
    [InlineData("[api]\nmax-body-size = \"0\"", "MaxBodyBytes", "0")]
    [InlineData("[storage]\ndir = \"/var/lib/strata\"", "DataDir", "/var/lib/strata")]
    [InlineData("[storage]\nretention-sweep-period = \"1h\"", "RetentionSweepPeriod", "01:00:00")]
    [InlineData("[storage]\nretention_sweep_period = \"0\"", "RetentionSweepPeriod", "00:10:00")]
    [InlineData("[storage]\npoint-batch-size = 50", "PointBatchSize", "50")]
    [InlineData("[leveldb]\npoint-batch-size = 70", "PointBatchSize", "70")]
    [InlineData("[storage]\npoint-batch-size = 50\n[leveldb]\npoint-batch-size = 70", "PointBatchSize", "50")]
    [InlineData("[storage]\npoint-batch-size = 0\n[leveldb]\npoint-batch-size = 70", "PointBatchSize", "70")]
    [InlineData("[storage]\nmemtable-size = \"128m\"", "MemtableBytes", "134217728")]
    [InlineData("[raft]\nport = 9090", "RaftPort", "9090")]
    [InlineData("[cluster]\nprotobuf_port = 9099", "ProtobufPort", "9099")]
    [InlineData("[cluster]\nprotobuf-port = 9098", "ProtobufPort", "9098")]
    [InlineData("[input_plugins.graphite]\nenabled = true", "InputPlugins.Graphite.Enabled", "True")]
    [InlineData("[input_plugins.graphite]\naddress = \"10.1.1.1\"", "InputPlugins.Graphite.Address", "10.1.1.1")]
    [InlineData("bind-address = \"10.2.2.2\"\n[input_plugins.graphite]\nport = 2003", "InputPlugins.Graphite.Address", "10.2.2.2")]
    [InlineData("[input_plugins.graphite]\nport = 2003", "InputPlugins.Graphite.Port", "2003")]
    [InlineData("[input_plugins.graphite]\ndatabase = \"graphite\"", "InputPlugins.Graphite.Database", "graphite")]
    [InlineData("[input_plugins.graphite]\nudp_enabled = true", "InputPlugins.Graphite.UdpEnabled", "True")]
    [InlineData("[input-plugins.graphite]\nudp-enabled = true", "InputPlugins.Graphite.UdpEnabled", "True")]
    [InlineData("[input_plugins.collectd]\nenabled = true", "InputPlugins.Collectd.Enabled", "True")]
    [InlineData("[input_plugins.collectd]\naddress = \"10.1.1.2\"", "InputPlugins.Collectd.Address", "10.1.1.2")]
    [InlineData("[input_plugins.collectd]\nport = 25826", "InputPlugins.Collectd.Port", "25826")]
    [InlineData("[input_plugins.collectd]\ndatabase = \"collectd\"", "InputPlugins.Collectd.Database", "collectd")]
    [InlineData("[input_plugins.collectd]\ntypesdb = \"/usr/share/collectd/types.db\"", "InputPlugins.Collectd.TypesDb", "/usr/share/collectd/types.db")]
    [InlineData("[input_plugins.udp]\nenabled = true", "InputPlugins.Udp.Enabled", "True")]
    [InlineData("[input_plugins.udp]\nport = 4444", "InputPlugins.Udp.Port", "4444")]
    [InlineData("[input_plugins.udp]\ndatabase = \"udp\"", "InputPlugins.Udp.Database", "udp")]
    public void Load_ConfigKey_IsBound(string toml, string path, string expected) =>
        Get(RunToml(toml).Options, path).ShouldBe(expected);

    [Fact]
    public void Load_UdpServers_AreBoundInFileOrder()
    {
        var (o, _) = RunToml("""
            [[input_plugins.udp_servers]]
            enabled = true
            port = 5551
            database = "db1"

            [[input_plugins.udp_servers]]
            port = 5552
            """);

        o.InputPlugins.UdpServers.ShouldBe([
            new UdpInputOptions { Enabled = true, Port = 5551, Database = "db1" },
            new UdpInputOptions { Port = 5552 },
        ]);
    }

    [Fact]
    public void Load_UdpServers_AcceptTheInlineArrayForm()
    {
        var (o, _) = RunToml("[input_plugins]\nudp_servers = [{ enabled = true, port = 5551, database = \"db1\" }]");

        o.InputPlugins.UdpServers.ShouldBe([new UdpInputOptions { Enabled = true, Port = 5551, Database = "db1" }]);
    }

    [Fact]
    public void Load_UnknownKeysAndSections_AreIgnoredSilently()
    {
        var (o, log) = RunToml("""
            surprise = 1
            [api]
            port = 8086
            colour = "blue"
            [whatever]
            x = [1, 2]
            [input_plugins.opentsdb]
            enabled = true
            """);

        o.ApiPort.ShouldBe(8086);
        log.ShouldBe("");
    }

    [Theory]
    [InlineData("reporting-disabled = true", "reporting-disabled")]
    [InlineData("[admin]\nassets = \"./admin\"", "admin.assets")]
    [InlineData("[raft]\ndir = \"/tmp/raft\"", "raft.dir")]
    [InlineData("[raft]\ndebug = true", "raft.debug")]
    [InlineData("[raft]\nelection-timeout = \"1s\"", "raft.election-timeout")]
    [InlineData("[storage]\ndefault-engine = \"rocksdb\"", "storage.default-engine")]
    [InlineData("[storage]\nwrite-buffer-size = 10000", "storage.write-buffer-size")]
    [InlineData("[storage]\nmax-open-shards = 0", "storage.max-open-shards")]
    [InlineData("[storage]\nwrite-batch-size = 5000000", "storage.write-batch-size")]
    [InlineData("[storage.engines.rocksdb]\nmax-open-files = 1000", "storage.engines.rocksdb.max-open-files")]
    [InlineData("[storage.engines.leveldb]\nlru-cache-size = \"200m\"", "storage.engines.leveldb.lru-cache-size")]
    [InlineData("[storage.engines.lmdb]\nmap-size = \"100g\"", "storage.engines.lmdb.map-size")]
    [InlineData("[leveldb]\nmax-open-files = 40", "leveldb.max-open-files")]
    [InlineData("[leveldb]\nlru-cache-size = \"200m\"", "leveldb.lru-cache-size")]
    [InlineData("[leveldb]\nmax-open-shards = 10", "leveldb.max-open-shards")]
    [InlineData("[leveldb]\nwrite-batch-size = 100", "leveldb.write-batch-size")]
    [InlineData("[cluster]\nseed-servers = [\"hosta:8090\"]", "cluster.seed-servers")]
    [InlineData("[cluster]\nprotobuf_timeout = \"2s\"", "cluster.protobuf_timeout")]
    [InlineData("[cluster]\nprotobuf_heartbeat = \"200ms\"", "cluster.protobuf_heartbeat")]
    [InlineData("[cluster]\nprotobuf_min_backoff = \"1s\"", "cluster.protobuf_min_backoff")]
    [InlineData("[cluster]\nprotobuf_max_backoff = \"10s\"", "cluster.protobuf_max_backoff")]
    [InlineData("[cluster]\nwrite-buffer-size = 1000", "cluster.write-buffer-size")]
    [InlineData("[cluster]\nmax-response-buffer-size = 100", "cluster.max-response-buffer-size")]
    [InlineData("[cluster]\nconcurrent-shard-query-limit = 10", "cluster.concurrent-shard-query-limit")]
    [InlineData("[wal]\ndir = \"/tmp/wal\"", "wal.dir")]
    [InlineData("[wal]\nflush-after = 1000", "wal.flush-after")]
    [InlineData("[wal]\nbookmark-after = 1000", "wal.bookmark-after")]
    [InlineData("[wal]\nindex-after = 1000", "wal.index-after")]
    [InlineData("[wal]\nrequests-per-log-file = 10000", "wal.requests-per-log-file")]
    [InlineData("[wal]\nrequests-per-logfile = 10000", "wal.requests-per-logfile")]
    public void Load_AcceptedButUnusedKey_IsReportedOnce(string toml, string key)
    {
        var (_, log) = RunToml(toml);

        Count(log, $"config key {key} is accepted and ignored").ShouldBe(1);
    }

    // ── bad files and bad values ────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("hostname = 5", "config key hostname: expected a string, got integer 5")]
    [InlineData("api = 5", "config key api: expected a table, got integer 5")]
    [InlineData("[api]\nport = \"8086\"", "config key api.port: expected an integer, got string \"8086\"")]
    [InlineData("[api]\nport = 8086.0", "config key api.port: expected an integer, got float 8086")]
    [InlineData("[api]\nport = 70000", "config key api.port: port 70000 is outside 0-65535")]
    [InlineData("[api]\nport = -1", "config key api.port: port -1 is outside 0-65535")]
    [InlineData("[api]\nread-timeout = \"5x\"", "config key api.read-timeout: invalid duration \"5x\"")]
    [InlineData("[api]\nread-timeout = \"1d\"", "config key api.read-timeout: invalid duration \"1d\"")]
    [InlineData("[api]\nread-timeout = \"5\"", "config key api.read-timeout: invalid duration \"5\"")]
    [InlineData("[api]\nread_timeout = 5", "config key api.read_timeout: expected a string, got integer 5")]
    [InlineData("[api]\nread-timeout = \"-5s\"", "config key api.read-timeout: duration \"-5s\" must not be negative")]
    [InlineData("[api]\nread-timeout = \"1s\"\nread_timeout = \"2s\"", "config key api.read-timeout: also given as api.read_timeout")]
    [InlineData("[api]\nmax-body-size = \"64x\"", "config key api.max-body-size: invalid size \"64x\"")]
    [InlineData("[api]\nmax-body-size = true", "config key api.max-body-size: expected a size string")]
    [InlineData("[logging]\nlevel = \"verbose\"", "config key logging.level: unknown level \"verbose\"")]
    [InlineData("[input_plugins.graphite]\nenabled = \"yes\"", "config key input_plugins.graphite.enabled: expected a boolean, got string \"yes\"")]
    [InlineData("[input_plugins]\nudp_servers = 1", "config key input_plugins.udp_servers: expected an array of tables")]
    [InlineData("[[input_plugins.udp_servers]]\nport = 1\n[[input_plugins.udp_servers]]\nport = \"x\"", "config key input_plugins.udp_servers[1].port: expected an integer")]
    [InlineData("[storage]\nmemtable-size = \"0\"", "config key storage.memtable-size: must be greater than 0")]
    [InlineData("[storage]\npoint-batch-size = -1", "config key storage.point-batch-size: -1 is outside")]
    [InlineData("[storage]\nretention-sweep-period = \"10 minutes\"", "config key storage.retention-sweep-period: invalid duration")]
    [InlineData("[raft]\nelection-timeout = \"1x\"", "config key raft.election-timeout: invalid duration \"1x\"")]
    [InlineData("[cluster]\nseed-servers = \"hosta\"", "config key cluster.seed-servers: expected an array of strings")]
    [InlineData("[storage.engines.leveldb]\nlru-cache-size = \"200x\"", "config key storage.engines.leveldb.lru-cache-size: invalid size")]
    [InlineData("[wal]\nflush-after = \"1000\"", "config key wal.flush-after: expected an integer")]
    public void Load_BadKey_FailsNamingTheKey(string toml, string message)
    {
        var error = Should.Throw<ConfigException>(() => RunToml(toml));

        error.Message.ShouldContain(message);
        error.ExitCode.ShouldBe(1);
    }

    [Theory]
    [InlineData("[api\nport = 1")]
    [InlineData("port = 1\nport = 2")]
    [InlineData("[api]\nport = 1\n[api]\nssl-port = 2")]
    [InlineData("[api]\nssl-cert = /path/to/cert.pem")]
    public void Load_InvalidToml_FailsAsCouldNotParse(string toml)
    {
        var error = Should.Throw<ConfigException>(() => RunToml(toml));

        error.Message.ShouldStartWith("Couldn't parse configuration file: ");
        error.Message.ShouldContain("error");
        error.ExitCode.ShouldBe(1);
    }

    [Fact]
    public void Load_MissingConfigFile_FailsAsCouldNotParse()
    {
        var missing = Path.Combine(Path.GetTempPath(), "strata-missing-" + Guid.NewGuid() + ".toml");

        var error = Should.Throw<ConfigException>(() => Run(["-config", missing]));

        error.Message.ShouldStartWith($"Couldn't parse configuration file: {missing}");
        error.ExitCode.ShouldBe(1);
    }

    // ── flags ──────────────────────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("-hostname h1", "Hostname", "h1")]
    [InlineData("-hostname=h2", "Hostname", "h2")]
    [InlineData("--hostname h3", "Hostname", "h3")]
    [InlineData("--hostname=h4", "Hostname", "h4")]
    [InlineData("-hostname a -hostname b", "Hostname", "b")]
    [InlineData("-raft-port 7090", "RaftPort", "7090")]
    [InlineData("-protobuf-port=7099", "ProtobufPort", "7099")]
    [InlineData("-pidfile /run/strata.pid", "PidFile", "/run/strata.pid")]
    [InlineData("-reset-root", "ResetRoot", "True")]
    [InlineData("-reset-root=false", "ResetRoot", "False")]
    [InlineData("--reset-root=1", "ResetRoot", "True")]
    [InlineData("-reset-root=T", "ResetRoot", "True")]
    [InlineData("-repair-ldb", "RepairLdb", "True")]
    [InlineData("-stdout", "LogToStdout", "True")]
    [InlineData("-stdout", "LogFile", "stdout")]
    [InlineData("-syslog local3", "Syslog", "local3")]
    [InlineData("-syslog=LOCAL3", "LogFile", "LOCAL3")]
    [InlineData("-syslog syslog -stdout", "LogFile", "stdout")]
    [InlineData("--data-dir /srv/strata", "DataDir", "/srv/strata")]
    [InlineData("-data-dir=/srv/strata", "DataDir", "/srv/strata")]
    [InlineData("--bind-address 0.0.0.0", "BindAddress", "0.0.0.0")]
    [InlineData("--bind-address=", "BindAddress", "")]
    [InlineData("--bind-address 10.0.0.9", "InputPlugins.Graphite.Address", "10.0.0.9")]
    [InlineData("--api-port 9999", "ApiPort", "9999")]
    [InlineData("--api-port=0", "ApiPort", "0")]
    [InlineData("-v", "PrintVersion", "True")]
    [InlineData("--v", "PrintVersion", "True")]
    [InlineData("-v=true", "PrintVersion", "True")]
    [InlineData("-version", "PrintVersion", "True")]
    [InlineData("--version", "PrintVersion", "True")]
    [InlineData("-v=false", "PrintVersion", "False")]
    [InlineData("-h", "PrintHelp", "True")]
    [InlineData("--help", "PrintHelp", "True")]
    [InlineData("--", "ApiPort", "8086")]
    public void Load_Flag_IsApplied(string args, string path, string expected) =>
        Get(Run(Split(args)).Options, path).ShouldBe(expected);

    [Theory]
    [InlineData("-nope", "flag provided but not defined: -nope")]
    [InlineData("--nope=1", "flag provided but not defined: -nope")]
    [InlineData("-hostname", "flag needs an argument: -hostname")]
    [InlineData("-config", "flag needs an argument: -config")]
    [InlineData("-api-port abc", "invalid value \"abc\" for flag -api-port")]
    [InlineData("-api-port 70000", "invalid value \"70000\" for flag -api-port")]
    [InlineData("-raft-port=-1", "invalid value \"-1\" for flag -raft-port")]
    [InlineData("-v=maybe", "invalid boolean value \"maybe\" for -v")]
    [InlineData("-syslog kern", "invalid value \"kern\" for flag -syslog")]
    [InlineData("extra", "unexpected argument \"extra\"")]
    [InlineData("-stdout extra", "unexpected argument \"extra\"")]
    [InlineData("-- extra", "unexpected argument \"extra\"")]
    [InlineData("-", "unexpected argument \"-\"")]
    [InlineData("---x", "bad flag syntax: ---x")]
    [InlineData("-=x", "bad flag syntax: -=x")]
    public void Load_BadFlag_FailsWithExitCode2AndUsage(string args, string message)
    {
        var error = Should.Throw<ConfigException>(() => Run(Split(args)));

        error.Message.ShouldStartWith(message);
        error.Message.ShouldContain("Usage of strata:");
        error.Message.ShouldContain("-config file");
        error.ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Load_EmptyConfigFlag_FailsWithExitCode2()
    {
        var error = Should.Throw<ConfigException>(() => Run(["-config", ""]));

        error.ExitCode.ShouldBe(2);
        error.Message.ShouldContain("-config");
    }

    [Fact]
    public void Usage_ListsEveryFlag()
    {
        foreach (var flag in new[] { "-config", "-v", "-h", "-reset-root", "-hostname", "-raft-port", "-protobuf-port", "-pidfile", "-repair-ldb", "-stdout", "-syslog", "-data-dir", "-bind-address", "-api-port" })
        {
            OptionsLoader.Usage.ShouldContain("  " + flag);
        }
    }

    [Fact]
    public void Load_Version_DoesNotReadTheConfigFile()
    {
        var (o, _) = Run(["-config", "/nonexistent/strata.toml", "-v"]);

        o.PrintVersion.ShouldBeTrue();
    }

    // ── precedence: flag > file > default ──────────────────────────────────────────────────────

    [Fact]
    public void Load_FlagBeatsFileBeatsDefault()
    {
        const string toml = """
            hostname = "from-file"
            bind-address = "10.0.0.1"
            [api]
            port = 9000
            [storage]
            dir = "/file"
            [raft]
            port = 9090
            [logging]
            file = "/var/log/strata.log"
            """;

        var (file, _) = RunToml(toml);
        file.Hostname.ShouldBe("from-file");
        file.BindAddress.ShouldBe("10.0.0.1");
        file.ApiPort.ShouldBe(9000);
        file.DataDir.ShouldBe("/file");
        file.RaftPort.ShouldBe(9090);
        file.LogFile.ShouldBe("/var/log/strata.log");
        file.ReadTimeout.ShouldBe(TimeSpan.FromSeconds(5));

        var (flag, _) = RunToml(toml, "-hostname", "from-flag", "--bind-address", "127.0.0.2", "--api-port", "9100",
            "--data-dir", "/flag", "-raft-port", "9191", "-stdout");
        flag.Hostname.ShouldBe("from-flag");
        flag.BindAddress.ShouldBe("127.0.0.2");
        flag.ApiPort.ShouldBe(9100);
        flag.DataDir.ShouldBe("/flag");
        flag.RaftPort.ShouldBe(9191);
        flag.LogFile.ShouldBe("stdout");
        flag.InputPlugins.Graphite.Address.ShouldBe("127.0.0.2");
    }

    [Fact]
    public void Load_EmptyHostname_FallsBackToTheOsName()
    {
        RunToml("hostname = \"\"").Options.Hostname.ShouldBe(StrataOptions.DetectHostname());
        Run(["-hostname", ""]).Options.Hostname.ShouldBe(StrataOptions.DetectHostname());
    }

    [Theory]
    [InlineData("[api]\nssl-cert = \"c.pem\"\nport = 8086", "HTTPS stays off (0.8.8 listened on a random port)")]
    [InlineData("[api]\nssl-port = 8087\nport = 8086", "api.ssl-port is set but api.ssl-cert is not")]
    public void Load_HalfConfiguredHttps_IsLogged(string toml, string message)
    {
        var (o, log) = RunToml(toml);

        o.HttpsEnabled.ShouldBeFalse();
        log.ShouldContain(message);
    }

    [Fact]
    public void Load_HttpsOnly_IsNotWarnedAbout()
    {
        var (o, log) = RunToml("[api]\nssl-port = 8087\nssl-cert = \"c.pem\"");

        o.ApiPort.ShouldBe(0);
        o.HttpsEnabled.ShouldBeTrue();
        log.ShouldBe("");
    }

    // ── INFLUXDB_INIT_PWD ──────────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData(null, "root")]
    [InlineData("", "root")]
    [InlineData("secret", "secret")]
    [InlineData("four", "four")]
    [InlineData("ééé", "ééé")] // 3 characters, 6 bytes: the rule counts bytes
    [InlineData("12345678901234567890123456789012345678901234567890123456", "12345678901234567890123456789012345678901234567890123456")]
    public void Load_InitialRootPassword_ComesFromTheEnvironment(string? value, string expected)
    {
        var environment = new Dictionary<string, string?> { ["INFLUXDB_INIT_PWD"] = value };

        OptionsLoader.Load([], environment, TextWriter.Null).InitialRootPassword.ShouldBe(expected);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("123456789012345678901234567890123456789012345678901234567")]
    [InlineData("éééééééééééééééééééééééééééé£")] // 29 characters, 58 bytes
    public void Load_InitialRootPasswordOfBadLength_Fails(string value)
    {
        var environment = new Dictionary<string, string?> { ["INFLUXDB_INIT_PWD"] = value };

        var error = Should.Throw<ConfigException>(() => OptionsLoader.Load([], environment, TextWriter.Null));

        error.Message.ShouldStartWith("INFLUXDB_INIT_PWD must be between 4 and 56 bytes long");
        error.Message.ShouldNotContain(value);
        error.ExitCode.ShouldBe(1);
    }

    // ── helpers ────────────────────────────────────────────────────────────────────────────────

    private static (StrataOptions Options, string Log) Run(string[] args)
    {
        var log = new StringWriter();
        var options = OptionsLoader.Load(args, NoEnvironment, log);
        return (options, log.ToString());
    }

    private static (StrataOptions Options, string Log) RunToml(string toml, params string[] extraArgs)
    {
        var path = Path.Combine(Path.GetTempPath(), "strata-config-" + Guid.NewGuid() + ".toml");
        File.WriteAllText(path, toml);
        try
        {
            return Run(["-config", path, .. extraArgs]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string[] Split(string args) => args.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Reads a dotted property path (<c>InputPlugins.Graphite.Port</c>) as invariant text.</summary>
    private static string? Get(object options, string path)
    {
        object? value = options;
        foreach (var name in path.Split('.'))
        {
            var property = value!.GetType().GetProperty(name) ?? throw new InvalidOperationException($"no property {name}");
            value = property.GetValue(value);
        }

        return Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Strata.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Strata.slnx not found above " + AppContext.BaseDirectory);
    }
}
