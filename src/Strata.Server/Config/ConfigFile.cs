using Microsoft.Extensions.Logging;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace Strata.Server.Config;

/// <summary>Reads a 0.8 <c>config.toml</c> (reference §9) onto a <see cref="StrataOptions"/>.</summary>
internal static class ConfigFile
{
    /// <summary>Reads and parses <paramref name="path"/>; a missing or malformed file is 0.8's fatal start-up error.</summary>
    public static TomlTable Read(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            // The strict syntax pass rejects what the model pass lets through (a key or table given twice).
            SyntaxParser.ParseStrict(text, path, validate: true);
            var options = new TomlSerializerOptions { SourceName = path, TypeInfoResolver = ConfigTomlContext.Default };
            var table = (TomlTypeInfo<TomlTable>)ConfigTomlContext.Default.GetTypeInfo(typeof(TomlTable), options)!;
            return TomlSerializer.Deserialize(text, table) ?? new TomlTable();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TomlException)
        {
            throw new ConfigException($"Couldn't parse configuration file: {path}: {ex.Message.Trim()}", ex);
        }
    }

    /// <summary>
    /// Overlays the keys of <paramref name="file"/> on <paramref name="options"/>; absent keys keep their
    /// value. Ignored 0.8 keys are type-checked and passed to <paramref name="reportIgnored"/> (path, reason).
    /// </summary>
    public static StrataOptions Bind(TomlTable file, StrataOptions options, Action<string, string> reportIgnored)
    {
        var root = ConfigTable.Root(file);
        options = options with
        {
            Hostname = root.String("hostname") ?? options.Hostname,
            BindAddress = root.String("bind-address") ?? options.BindAddress,
        };

        if (root.Table("logging") is { } logging)
        {
            options = options with
            {
                LogLevel = ParseLevel(logging, logging.String("level")) ?? options.LogLevel,
                LogFile = NonEmpty(logging.String("file")) ?? options.LogFile,
            };
        }

        if (root.Table("admin") is { } admin)
        {
            options = options with { AdminPort = admin.Port("port") ?? options.AdminPort };
        }

        if (root.Table("api") is { } api)
        {
            options = options with
            {
                ApiPort = api.Port("port") ?? options.ApiPort,
                SslPort = api.Port("ssl-port") ?? options.SslPort,
                SslCert = api.String("ssl-cert") ?? options.SslCert,
                // 0.8: zero or "" means the default (configuration.go:300-303).
                ReadTimeout = Positive(api.Duration("read-timeout")) ?? options.ReadTimeout,
                MaxBodyBytes = api.Size("max-body-size") ?? options.MaxBodyBytes,
            };
        }

        if (root.Table("input-plugins") is { } inputs)
        {
            options = options with { InputPlugins = BindInputs(inputs, options.InputPlugins) };
        }

        if (root.Table("raft") is { } raft)
        {
            options = options with { RaftPort = raft.Port("port") ?? options.RaftPort };
        }

        if (root.Table("cluster") is { } cluster)
        {
            options = options with { ProtobufPort = cluster.Port("protobuf-port") ?? options.ProtobufPort };
        }

        var storage = root.Table("storage");
        var leveldb = root.Table("leveldb");
        if (storage is not null)
        {
            var memtable = storage.Size("memtable-size");
            if (memtable == 0)
            {
                throw storage.Invalid("memtable-size", "must be greater than 0");
            }

            options = options with
            {
                DataDir = NonEmpty(storage.String("dir")) ?? options.DataDir,
                RetentionSweepPeriod = Positive(storage.Duration("retention-sweep-period")) ?? options.RetentionSweepPeriod,
                MemtableBytes = memtable ?? options.MemtableBytes,
            };
        }

        // [storage] point-batch-size, else the legacy [leveldb] one, else the default; 0 means unset in both.
        var pointBatch = Positive(storage?.Count("point-batch-size")) ?? Positive(leveldb?.Count("point-batch-size"));
        options = options with { PointBatchSize = pointBatch ?? options.PointBatchSize };

        IgnoredKeys.Report(root, reportIgnored);
        return options;
    }

    private static InputPluginOptions BindInputs(ConfigTable inputs, InputPluginOptions plugins)
    {
        if (inputs.Table("graphite") is { } graphite)
        {
            plugins = plugins with
            {
                Graphite = new GraphiteOptions
                {
                    Enabled = graphite.Boolean("enabled") ?? false,
                    Address = graphite.String("address") ?? "",
                    Port = graphite.Port("port") ?? 0,
                    Database = graphite.String("database") ?? "",
                    UdpEnabled = graphite.Boolean("udp-enabled") ?? false,
                },
            };
        }

        if (inputs.Table("collectd") is { } collectd)
        {
            plugins = plugins with
            {
                Collectd = new CollectdOptions
                {
                    Enabled = collectd.Boolean("enabled") ?? false,
                    Address = collectd.String("address") ?? "",
                    Port = collectd.Port("port") ?? 0,
                    Database = collectd.String("database") ?? "",
                    TypesDb = collectd.String("typesdb") ?? "",
                },
            };
        }

        if (inputs.Table("udp") is { } udp)
        {
            plugins = plugins with { Udp = BindUdp(udp) };
        }

        if (inputs.TableArray("udp-servers") is { } servers)
        {
            var list = new UdpInputOptions[servers.Count];
            for (var i = 0; i < servers.Count; i++)
            {
                list[i] = BindUdp(servers[i]);
            }

            plugins = plugins with { UdpServers = list };
        }

        return plugins;
    }

    private static UdpInputOptions BindUdp(ConfigTable udp) => new()
    {
        Enabled = udp.Boolean("enabled") ?? false,
        Port = udp.Port("port") ?? 0,
        Database = udp.String("database") ?? "",
    };

    /// <summary>Maps 0.8's level names; 0.8 treated any other value as debug, Strata rejects it.</summary>
    public static LogLevel? ParseLevel(ConfigTable table, string? level) => level?.ToLowerInvariant() switch
    {
        null => null,
        "fine" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => throw table.Invalid("level", $"unknown level \"{level}\" (fine, debug, info, warn or error)"),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static TimeSpan? Positive(TimeSpan? value) => value > TimeSpan.Zero ? value : null;

    private static int? Positive(int? value) => value > 0 ? value : null;
}

/// <summary>Tomlyn's reader for a TOML document as a table, generated at build time (no reflection, so the native build keeps it).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext;
