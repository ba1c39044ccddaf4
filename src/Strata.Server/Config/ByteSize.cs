namespace Strata.Server.Config;

/// <summary>
/// Sizes in configuration keys: 0.8's <c>&lt;int&gt;m</c> and <c>&lt;int&gt;g</c> (MiB, GiB; e.g.
/// <c>lru-cache-size = "200m"</c>), plus <c>&lt;int&gt;k</c> and a bare number of bytes. Suffixes are
/// binary (1k = 1024) and case-insensitive.
/// </summary>
public static class ByteSize
{
    /// <summary>Parses <paramref name="text"/> into bytes; false when it is not a size or does not fit in 63 bits.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            return false;
        }

        var multiplier = char.ToLowerInvariant(s[^1]) switch
        {
            'k' => 1024L,
            'm' => 1024L * 1024,
            'g' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        if (multiplier != 1)
        {
            s = s[..^1];
        }

        if (s.IsEmpty)
        {
            return false;
        }

        long value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c) || value > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        if (value > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = value * multiplier;
        return true;
    }
}
