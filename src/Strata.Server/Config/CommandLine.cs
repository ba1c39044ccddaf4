using System.Globalization;
using System.Text;

namespace Strata.Server.Config;

/// <summary>
/// The command line, parsed with Go's <c>flag</c> rules as 0.8's <c>influxd</c> did (reference §9.3):
/// <c>-name value</c>, <c>-name=value</c>, <c>--name value</c>, <c>--name=value</c>; a boolean flag takes
/// no value (<c>-v</c>) or an attached one (<c>-v=true</c>); the last occurrence wins; <c>--</c> ends
/// the flags. Any error is a <see cref="ConfigException"/> with exit code 2 followed by the usage text.
/// </summary>
/// <remarks>
/// Strata choice: Go stopped at the first argument that is not a flag and ignored the rest; Strata has
/// no positional arguments and rejects them, so a mistyped flag value cannot be dropped silently.
/// </remarks>
internal sealed class CommandLine
{
    private enum FlagKind
    {
        Bool,
        String,
        Port,
    }

    private sealed record Flag(string Name, FlagKind Kind, string Value, string Help, string? Alias = null);

    private static readonly Flag[] Flags =
    [
        new("config", FlagKind.String, "file", "configuration file in 0.8's TOML format (default: none; Strata then runs on its embedded defaults)"),
        new("v", FlagKind.Bool, "", "print the version and exit", Alias: "version"),
        new("h", FlagKind.Bool, "", "print this help and exit", Alias: "help"),
        new("reset-root", FlagKind.Bool, "", "re-create the cluster admin root with the initial password (INFLUXDB_INIT_PWD, else \"root\")"),
        new("hostname", FlagKind.String, "name", "host name this node advertises; overrides the hostname key"),
        new("raft-port", FlagKind.Port, "port", "overrides [raft] port (shown in /cluster/servers; nothing listens on it)"),
        new("protobuf-port", FlagKind.Port, "port", "overrides [cluster] protobuf_port (shown in /cluster/servers; nothing listens on it)"),
        new("pidfile", FlagKind.String, "file", "write the process id to this file at start"),
        new("repair-ldb", FlagKind.Bool, "", "check the data directory before serving (LevelDB repair in 0.8)"),
        new("stdout", FlagKind.Bool, "", "log to standard output; overrides [logging] file"),
        new("syslog", FlagKind.String, "facility", "log to syslog (syslog, local0 ... local7); overrides [logging] file"),
        new("data-dir", FlagKind.String, "dir", "data directory; overrides [storage] dir (Strata only)"),
        new("bind-address", FlagKind.String, "addr", "address every listener binds to; overrides bind-address (Strata only)"),
        new("api-port", FlagKind.Port, "port", "HTTP API port, 0 to disable; overrides [api] port (Strata only)"),
        new("restore", FlagKind.String, "dir", "restore a whole-node backup (POST /cluster/backup without db) into the empty data directory, then exit (Strata only)"),
    ];

    public string? ConfigPath { get; private set; }
    public bool Version { get; private set; }
    public bool Help { get; private set; }
    public bool ResetRoot { get; private set; }
    public string? Hostname { get; private set; }
    public int? RaftPort { get; private set; }
    public int? ProtobufPort { get; private set; }
    public string? PidFile { get; private set; }
    public bool RepairLdb { get; private set; }
    public bool Stdout { get; private set; }
    public string? Syslog { get; private set; }
    public string? DataDir { get; private set; }
    public string? BindAddress { get; private set; }
    public int? ApiPort { get; private set; }
    public string? Restore { get; private set; }

    /// <summary>The usage text printed for <c>-h</c> and after every command-line error.</summary>
    public static string Usage { get; } = BuildUsage();

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                if (i + 1 < args.Count)
                {
                    throw UsageError($"unexpected argument \"{args[i + 1]}\"");
                }

                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                throw UsageError($"unexpected argument \"{arg}\"");
            }

            var name = arg.AsSpan(arg[1] == '-' ? 2 : 1);
            if (name.IsEmpty || name[0] == '-' || name[0] == '=')
            {
                throw UsageError($"bad flag syntax: {arg}");
            }

            string? value = null;
            var equals = name.IndexOf('=');
            if (equals >= 0)
            {
                value = name[(equals + 1)..].ToString();
                name = name[..equals];
            }

            var flag = Find(name) ?? throw UsageError($"flag provided but not defined: -{name}");
            if (flag.Kind == FlagKind.Bool)
            {
                var on = value is null || (TryParseGoBool(value, out var parsed) ? parsed
                    : throw UsageError($"invalid boolean value \"{value}\" for -{flag.Name}"));
                result.SetBool(flag.Name, on);
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw UsageError($"flag needs an argument: -{flag.Name}");
                }

                value = args[++i];
            }

            result.SetValue(flag, value);
        }

        return result;
    }

    private static Flag? Find(ReadOnlySpan<char> name)
    {
        foreach (var flag in Flags)
        {
            if (name.SequenceEqual(flag.Name) || (flag.Alias is not null && name.SequenceEqual(flag.Alias)))
            {
                return flag;
            }
        }

        return null;
    }

    private void SetBool(string name, bool on)
    {
        switch (name)
        {
            case "v": Version = on; break;
            case "h": Help = on; break;
            case "reset-root": ResetRoot = on; break;
            case "repair-ldb": RepairLdb = on; break;
            case "stdout": Stdout = on; break;
            default: throw new InvalidOperationException($"BUG: boolean flag -{name} has no field");
        }
    }

    private void SetValue(Flag flag, string value)
    {
        int? port = null;
        if (flag.Kind == FlagKind.Port)
        {
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                || parsed is < 0 or > 65535)
            {
                throw UsageError($"invalid value \"{value}\" for flag -{flag.Name}: a port is 0-65535");
            }

            port = parsed;
        }

        switch (flag.Name)
        {
            case "config":
                ConfigPath = value.Length > 0 ? value : throw UsageError("invalid value \"\" for flag -config: empty file name");
                break;
            case "hostname": Hostname = value; break;
            case "raft-port": RaftPort = port; break;
            case "protobuf-port": ProtobufPort = port; break;
            case "pidfile": PidFile = value; break;
            case "syslog":
                Syslog = IsSyslogFacility(value) ? value
                    : throw UsageError($"invalid value \"{value}\" for flag -syslog: use syslog or local0 ... local7");
                break;
            case "data-dir": DataDir = value; break;
            case "bind-address": BindAddress = value; break;
            case "api-port": ApiPort = port; break;
            case "restore": Restore = value; break;
            default: throw new InvalidOperationException($"BUG: flag -{flag.Name} has no field");
        }
    }

    /// <summary>Whether <paramref name="value"/> names a syslog facility 0.8 accepts (case-insensitive).</summary>
    public static bool IsSyslogFacility(string value) =>
        value.Equals("syslog", StringComparison.OrdinalIgnoreCase)
        || (value.Length == 6 && value.StartsWith("local", StringComparison.OrdinalIgnoreCase) && value[5] is >= '0' and <= '7');

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    private static bool TryParseGoBool(string value, out bool result)
    {
        switch (value)
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True":
                result = true;
                return true;
            case "0" or "f" or "F" or "false" or "FALSE" or "False":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    private static ConfigException UsageError(string problem) => new(problem + "\n" + Usage, exitCode: 2);

    private static string BuildUsage()
    {
        var text = new StringBuilder("Usage of strata:\n");
        foreach (var flag in Flags)
        {
            var names = "-" + flag.Name + (flag.Alias is null ? "" : ", --" + flag.Alias);
            text.Append("  ").Append(names);
            if (flag.Value.Length > 0)
            {
                text.Append(' ').Append(flag.Value);
            }

            text.Append("\n    \t").Append(flag.Help).Append('\n');
        }

        text.Append("Flags may be written -name value, -name=value, --name value or --name=value.\n");
        text.Append("Environment: INFLUXDB_INIT_PWD sets the initial root password (4-56 bytes, default \"root\").\n");
        return text.ToString();
    }
}
