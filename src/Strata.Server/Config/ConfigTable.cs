using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace Strata.Server.Config;

/// <summary>The TOML type a configuration key must have.</summary>
internal enum ConfigKind
{
    String,
    Integer,
    Boolean,
    /// <summary>A string in Go duration syntax (<see cref="GoDuration"/>).</summary>
    Duration,
    /// <summary>A string such as <c>"64m"</c> or an integer number of bytes (<see cref="ByteSize"/>).</summary>
    Size,
    StringArray,
}

/// <summary>
/// One table of a parsed configuration file, read the way 0.8 reads its keys: a key matches whether
/// it is spelled with dashes or underscores and in any case (<c>read-timeout</c>, <c>read_timeout</c>);
/// unknown keys are never looked at; a known key of the wrong type is a <see cref="ConfigException"/>
/// naming its full path (<c>api.read-timeout</c>).
/// </summary>
internal sealed class ConfigTable
{
    private readonly TomlTable _table;
    private readonly string _path;

    private ConfigTable(TomlTable table, string path)
    {
        _table = table;
        _path = path;
    }

    /// <summary>The file's top-level table.</summary>
    public static ConfigTable Root(TomlTable table) => new(table, "");

    /// <summary>Lower-case with dashes: the spelling keys are compared in.</summary>
    public static string Normalize(string key) => key.Replace('_', '-').ToLowerInvariant();

    /// <summary>The full dotted path of <paramref name="key"/> in this table, for messages.</summary>
    public string PathOf(string key) => _path.Length == 0 ? key : _path + "." + key;

    public ConfigTable? Table(string key)
    {
        if (!TryFind(key, out var found, out var value))
        {
            return null;
        }

        return value is TomlTable table ? new ConfigTable(table, PathOf(found)) : throw WrongType(found, "a table", value);
    }

    /// <summary>Every sub-table of this table, such as the <c>[storage.engines.&lt;name&gt;]</c> sections.</summary>
    public IEnumerable<ConfigTable> SubTables()
    {
        foreach (var (key, value) in _table)
        {
            if (value is TomlTable table)
            {
                yield return new ConfigTable(table, PathOf(key));
            }
        }
    }

    /// <summary>An array of tables (<c>[[input_plugins.udp_servers]]</c>), each named <c>path[i]</c>.</summary>
    public IReadOnlyList<ConfigTable>? TableArray(string key)
    {
        if (!TryFind(key, out var found, out var value))
        {
            return null;
        }

        var tables = new List<ConfigTable>();
        switch (value)
        {
            case TomlTableArray array:
                foreach (var table in array)
                {
                    tables.Add(new ConfigTable(table, $"{PathOf(found)}[{tables.Count}]"));
                }

                return tables;
            case TomlArray array when array.All(item => item is TomlTable):
                // Inline form: udp_servers = [{ enabled = true, port = 5551 }]
                foreach (var item in array)
                {
                    tables.Add(new ConfigTable((TomlTable)item!, $"{PathOf(found)}[{tables.Count}]"));
                }

                return tables;
            default:
                throw WrongType(found, "an array of tables", value);
        }
    }

    public string? String(string key) =>
        TryFind(key, out var found, out var value) ? value as string ?? throw WrongType(found, "a string", value) : null;

    public bool? Boolean(string key) =>
        TryFind(key, out var found, out var value) ? value as bool? ?? throw WrongType(found, "a boolean", value) : null;

    public long? Integer(string key) =>
        TryFind(key, out var found, out var value) ? value as long? ?? throw WrongType(found, "an integer", value) : null;

    /// <summary>An integer that must be a TCP/UDP port, 0–65535 (0 = not listening).</summary>
    public int? Port(string key)
    {
        var port = Integer(key);
        if (port is < 0 or > 65535)
        {
            throw Invalid(key, $"port {port} is outside 0-65535");
        }

        return (int?)port;
    }

    /// <summary>An integer that must not be negative and must fit an <see cref="int"/>.</summary>
    public int? Count(string key)
    {
        var count = Integer(key);
        if (count is < 0 or > int.MaxValue)
        {
            throw Invalid(key, $"{count} is outside 0-{int.MaxValue}");
        }

        return (int?)count;
    }

    /// <summary>A Go duration string; <c>""</c> reads as zero, as 0.8 reads it.</summary>
    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return TimeSpan.Zero;
        }

        if (!GoDuration.TryParse(text, out var duration))
        {
            throw Invalid(key, $"invalid duration \"{text}\" (units: {GoDuration.Units}; no d)");
        }

        if (duration < TimeSpan.Zero)
        {
            throw Invalid(key, $"duration \"{text}\" must not be negative");
        }

        return duration;
    }

    /// <summary>A size string such as <c>"64m"</c>, or an integer number of bytes.</summary>
    public long? Size(string key)
    {
        if (!TryFind(key, out var found, out var value))
        {
            return null;
        }

        switch (value)
        {
            case long bytes when bytes >= 0:
                return bytes;
            case long bytes:
                throw Invalid(key, $"size {bytes} must not be negative");
            case string text when ByteSize.TryParse(text, out var parsed):
                return parsed;
            case string text:
                throw Invalid(key, $"invalid size \"{text}\" (a number of bytes, or <n>k, <n>m, <n>g)");
            default:
                throw WrongType(found, "a size string such as \"64m\"", value);
        }
    }

    public IReadOnlyList<string>? StringArray(string key)
    {
        if (!TryFind(key, out var found, out var value))
        {
            return null;
        }

        if (value is TomlArray array && array.All(item => item is string))
        {
            return array.Select(item => (string)item!).ToArray();
        }

        throw WrongType(found, "an array of strings", value);
    }

    /// <summary>Reads <paramref name="key"/> as <paramref name="kind"/> and returns its path, or null when it is absent.</summary>
    public string? Check(string key, ConfigKind kind)
    {
        if (!TryFind(key, out var found, out _))
        {
            return null;
        }

        _ = kind switch
        {
            ConfigKind.String => String(key),
            ConfigKind.Integer => Integer(key),
            ConfigKind.Boolean => Boolean(key),
            ConfigKind.Duration => Duration(key),
            ConfigKind.Size => Size(key),
            ConfigKind.StringArray => (object?)StringArray(key),
            _ => throw new InvalidOperationException($"BUG: unknown config kind {kind}"),
        };
        return PathOf(found);
    }

    /// <summary>A <see cref="ConfigException"/> for a value of the right type that is still unusable.</summary>
    public ConfigException Invalid(string key, string problem)
    {
        TryFind(key, out var found, out _);
        return new ConfigException($"config key {PathOf(found)}: {problem}");
    }

    private bool TryFind(string key, out string found, out object? value)
    {
        found = key;
        value = null;
        string? match = null;
        foreach (var (name, item) in _table)
        {
            if (Normalize(name) != key)
            {
                continue;
            }

            if (match is not null)
            {
                throw new ConfigException($"config key {PathOf(match)}: also given as {PathOf(name)}; keep one spelling");
            }

            match = name;
            value = item;
        }

        if (match is null)
        {
            return false;
        }

        found = match;
        return true;
    }

    private ConfigException WrongType(string found, string expected, object? value) =>
        new($"config key {PathOf(found)}: expected {expected}, got {Describe(value)}");

    private static string Describe(object? value) => value switch
    {
        string s => $"string \"{s}\"",
        long l => $"integer {l.ToString(CultureInfo.InvariantCulture)}",
        double d => $"float {d.ToString(CultureInfo.InvariantCulture)}",
        bool b => b ? "boolean true" : "boolean false",
        TomlDateTime dt => $"date-time {dt}",
        TomlArray => "an array",
        TomlTableArray => "an array of tables",
        TomlTable => "a table",
        null => "nothing",
        _ => value.GetType().Name,
    };
}
