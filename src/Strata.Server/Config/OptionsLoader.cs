using System.Text;

namespace Strata.Server.Config;

/// <summary>
/// Builds the <see cref="StrataOptions"/> of a process from its command line, its configuration file
/// and its environment (reference §9): flag &gt; file &gt; default.
/// </summary>
public static class OptionsLoader
{
    /// <summary>The environment variable holding the initial password of <c>root</c> (reference §2.4).</summary>
    public const string InitialPasswordVariable = "INFLUXDB_INIT_PWD";

    /// <summary>
    /// The defaults a configuration file is read onto. 0.8.8 has no listener defaults in code: a file
    /// that omits <c>bind-address</c> binds every interface and one that omits a port disables that
    /// listener. Without <c>-config</c>, Strata starts from <c>new StrataOptions()</c> instead.
    /// </summary>
    public static StrataOptions FileDefaults { get; } = new()
    {
        BindAddress = "",
        ApiPort = 0,
        AdminPort = 0,
        RaftPort = 0,
        ProtobufPort = 0,
    };

    /// <summary>The flag list printed for <c>-h</c> and after a command-line error.</summary>
    public static string Usage => CommandLine.Usage;

    /// <summary>
    /// Parses <paramref name="args"/> (the process command line, without the program name), loads the
    /// file named by <c>-config</c> if any, and reads <c>INFLUXDB_INIT_PWD</c> from
    /// <paramref name="environment"/> (default: the process environment).
    /// </summary>
    /// <param name="log">
    /// Receives one line per accepted-but-unused 0.8 key and per suspicious combination
    /// (default: standard error).
    /// </param>
    /// <returns>
    /// The options; with <c>-v</c> or <c>-h</c> only <see cref="StrataOptions.PrintVersion"/> or
    /// <see cref="StrataOptions.PrintHelp"/> is meaningful and no file is read.
    /// </returns>
    /// <exception cref="ConfigException">
    /// Bad input, named in the message: exit code 2 for a command-line error (with the usage text),
    /// 1 for a missing or invalid file, a key of the wrong type or value, or a bad password variable.
    /// </exception>
    public static StrataOptions Load(string[] args, IDictionary<string, string?>? environment = null, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        log ??= Console.Error;
        var flags = CommandLine.Parse(args);
        if (flags.Version || flags.Help)
        {
            return new StrataOptions { PrintVersion = flags.Version, PrintHelp = flags.Help };
        }

        StrataOptions options;
        if (flags.ConfigPath is null)
        {
            options = new StrataOptions();
        }
        else
        {
            var reported = new HashSet<string>(StringComparer.Ordinal);
            var file = ConfigFile.Read(flags.ConfigPath);
            options = ConfigFile.Bind(file, FileDefaults with { ConfigPath = flags.ConfigPath }, (key, reason) =>
            {
                if (reported.Add(key))
                {
                    log.WriteLine($"config key {key} is accepted and ignored: {reason}");
                }
            });
        }

        options = ApplyFlags(options, flags);
        options = options with { InitialRootPassword = InitialPassword(environment) ?? options.InitialRootPassword };
        options = Resolve(options);
        Warn(options, log);
        return options;
    }

    private static StrataOptions ApplyFlags(StrataOptions options, CommandLine flags)
    {
        options = options with
        {
            Hostname = flags.Hostname ?? options.Hostname,
            RaftPort = flags.RaftPort ?? options.RaftPort,
            ProtobufPort = flags.ProtobufPort ?? options.ProtobufPort,
            PidFile = flags.PidFile ?? options.PidFile,
            ResetRoot = flags.ResetRoot,
            RepairLdb = flags.RepairLdb,
            DataDir = flags.DataDir ?? options.DataDir,
            BindAddress = flags.BindAddress ?? options.BindAddress,
            ApiPort = flags.ApiPort ?? options.ApiPort,
            RestoreFrom = flags.Restore,
        };

        if (flags.Syslog is not null)
        {
            options = options with { Syslog = flags.Syslog, LogFile = flags.Syslog };
        }

        // -stdout wins over -syslog: it is the flag 0.8.8 itself had.
        if (flags.Stdout)
        {
            options = options with { LogToStdout = true, LogFile = "stdout" };
        }

        if (options.DataDir.Length == 0)
        {
            throw new ConfigException("flag -data-dir: the data directory must not be empty");
        }

        return options;
    }

    /// <summary>Fills the values that default to other values: host name detection and plugin addresses.</summary>
    private static StrataOptions Resolve(StrataOptions options)
    {
        if (options.Hostname.Length == 0)
        {
            options = options with { Hostname = StrataOptions.DetectHostname() };
        }

        var plugins = options.InputPlugins;
        if (plugins.Graphite.Address.Length == 0)
        {
            plugins = plugins with { Graphite = plugins.Graphite with { Address = options.BindAddress } };
        }

        if (plugins.Collectd.Address.Length == 0)
        {
            plugins = plugins with { Collectd = plugins.Collectd with { Address = options.BindAddress } };
        }

        return options with { InputPlugins = plugins };
    }

    /// <summary>
    /// The password for <c>root</c> from the environment, or null when the variable is unset or empty.
    /// 0.8.8 accepted a bad length and left root unable to log in; Strata refuses to start (§2.4).
    /// </summary>
    private static string? InitialPassword(IDictionary<string, string?>? environment)
    {
        var value = environment is null
            ? Environment.GetEnvironmentVariable(InitialPasswordVariable)
            : environment.TryGetValue(InitialPasswordVariable, out var v) ? v : null;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes is < 4 or > 56)
        {
            throw new ConfigException(
                $"{InitialPasswordVariable} must be between 4 and 56 bytes long (it has {bytes}); root's password follows the user password rule");
        }

        return value;
    }

    /// <summary>Logs settings that are legal but probably not what was meant.</summary>
    private static void Warn(StrataOptions options, TextWriter log)
    {
        if (options.SslCert.Length > 0 && options.SslPort == 0)
        {
            log.WriteLine("config key api.ssl-cert is set but api.ssl-port is not: HTTPS stays off (0.8.8 listened on a random port)");
        }
        else if (options.SslPort > 0 && options.SslCert.Length == 0)
        {
            log.WriteLine("config key api.ssl-port is set but api.ssl-cert is not: HTTPS stays off");
        }

        if (options.ConfigPath is not null && options.ApiPort == 0 && !options.HttpsEnabled)
        {
            log.WriteLine($"configuration file {options.ConfigPath} enables neither api.port nor api.ssl-port: the HTTP API will not listen");
        }
    }
}
