using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core;

namespace Strata.Storage.Shards;

/// <summary>
/// A shard space of a database (reference http-api.md §4.16, §8): series whose name matches <see cref="Regex"/>
/// are stored in shards of <see cref="ShardDuration"/> and kept for <see cref="RetentionPolicy"/>. Strings are kept
/// as the client sent them (GET returns them verbatim); the parsed forms are computed from them.
/// </summary>
public sealed record ShardSpace(
    string Database,
    string Name,
    string Regex,
    string RetentionPolicy,
    string ShardDuration,
    uint ReplicationFactor,
    uint Split)
{
    /// <summary>The space created for a database's first write that no space matches.</summary>
    public static ShardSpace DefaultFor(string database) => new(database, ShardSpaces.DefaultSpace, "/.*/", "inf", "7d", 1, 1);

    /// <summary>Bucket width in µs ("" means 7 days).</summary>
    public long ShardDurationMicros => ShardDuration.Length == 0 ? ShardSpaces.DefaultShardDurationMicros : SpaceDuration.ParseMicrosCached(ShardDuration);

    /// <summary>Retention in µs, or null for "inf"/"" (forever).</summary>
    public long? RetentionMicros => RetentionPolicy is "" or "inf" ? null : SpaceDuration.ParseMicrosCached(RetentionPolicy);

    /// <summary>The compiled series regex (§8.2), non-backtracking.</summary>
    public Regex CompiledRegex() => SpaceRegex.Compile(Regex);

    /// <summary>Validates the definition as 0.8 does on create (§4.16), with Strata's stricter rules.</summary>
    public void Validate()
    {
        if (Name.Length == 0)
        {
            throw StrataException.BadRequest("Shard space must have a name");
        }

        if (Regex.Length == 0)
        {
            throw StrataException.BadRequest("A regex is required for a shard space");
        }

        SpaceRegex.Compile(Regex);
        if (ShardDuration.Length > 0)
        {
            SpaceDuration.ParseMicros(ShardDuration);
        }

        if (RetentionPolicy is not ("" or "inf"))
        {
            SpaceDuration.ParseMicros(RetentionPolicy);
        }
    }
}

/// <summary>Shard-space regexes (§8.2): "/re/" or "/re/i", or a bare pattern; unanchored.</summary>
public static class SpaceRegex
{
    /// <summary>True for the regexes that match every name without running: <c>/.*/</c> (every default space's), <c>.*</c>, and the empty one.</summary>
    public static bool MatchesEverything(string text) => text is "/.*/" or "/.*/i" or ".*" or "//" or "//i" or "";

    public static Regex Compile(string text)
    {
        var pattern = text;
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        if (text.StartsWith('/'))
        {
            if (text.Length >= 3 && text.EndsWith("/i", StringComparison.Ordinal))
            {
                pattern = text[1..^2];
                options |= RegexOptions.IgnoreCase;
            }
            else if (text.Length >= 2 && text.EndsWith('/'))
            {
                pattern = text[1..^1];
            }
            else
            {
                throw StrataException.BadRequest($"Error parsing regex: {text} has no closing /");
            }
        }

        try
        {
            return new Regex(pattern, options);
        }
        catch (ArgumentException e)
        {
            throw StrataException.BadRequest($"Error parsing regex: {e.Message}");
        }
    }
}

/// <summary>Shard-space durations (§8.8): a positive number with a unit u, ms, s, m, h, d, w/W, M (30 d), y/Y (365 d).</summary>
public static class SpaceDuration
{
    /// <summary>Durations parsed before: every write asks for its space's duration and retention.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> Parsed = new(StringComparer.Ordinal);

    /// <summary><see cref="ParseMicros"/>, remembering valid texts (a handful per server).</summary>
    public static long ParseMicrosCached(string text)
    {
        if (Parsed.TryGetValue(text, out var micros))
        {
            return micros;
        }

        micros = ParseMicros(text);
        if (Parsed.Count < 1024)
        {
            Parsed.TryAdd(text, micros);
        }

        return micros;
    }

    public static long ParseMicros(string text)
    {
        var (number, unitMicros) = Split(text);
        if (unitMicros == 0 || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw StrataException.BadRequest($"Invalid duration {text}");
        }

        var micros = value * unitMicros;
        if (micros < 1 || micros > long.MaxValue / 4)
        {
            throw StrataException.BadRequest($"Invalid duration {text}");
        }

        return (long)micros;
    }

    private static (string Number, long UnitMicros) Split(string text)
    {
        const long Day = 86_400_000_000;
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            return (text[..^2], 1_000);
        }

        if (text.Length < 2)
        {
            return (text, 0);
        }

        long unit = text[^1] switch
        {
            'u' => 1,
            's' => 1_000_000,
            'm' => 60_000_000,
            'h' => 3_600_000_000,
            'd' => Day,
            'w' or 'W' => 7 * Day,
            'M' => 30 * Day,
            'y' or 'Y' => 365 * Day,
            _ => 0,
        };
        return (text[..^1], unit);
    }
}
