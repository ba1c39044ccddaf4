namespace Strata.Server.Config;

/// <summary>
/// Go's <c>time.ParseDuration</c>, the syntax of every duration key in 0.8's configuration:
/// an optional sign, then one or more <c>&lt;number&gt;&lt;unit&gt;</c> terms such as <c>"5s"</c>,
/// <c>"1h30m"</c>, <c>"1.5h"</c> or <c>"300ms"</c>; units <c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>,
/// <c>s</c>, <c>m</c>, <c>h</c> and no <c>d</c>; a bare <c>"0"</c> is zero.
/// </summary>
/// <remarks>
/// Go counts nanoseconds and so does the parser, including Go's overflow limit of about 292 years;
/// the result is truncated to <see cref="TimeSpan"/>'s 100 ns ticks.
/// </remarks>
public static class GoDuration
{
    /// <summary>The unit list quoted in error messages.</summary>
    public const string Units = "ns, us, µs, ms, s, m, h";

    /// <summary>Parses <paramref name="text"/>; false when it is not a Go duration.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        ReadOnlySpan<char> s = text;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (s[0] != '.' && !char.IsAsciiDigit(s[0]))
            {
                return false;
            }

            // The integer part, then an optional fraction; at least one digit overall.
            var digits = LeadingInt(ref s, out var whole, out var overflow);
            if (overflow)
            {
                return false;
            }

            ulong fraction = 0;
            var scale = 1.0;
            var fractionDigits = 0;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                fractionDigits = LeadingFraction(ref s, out fraction, out scale);
            }

            if (digits == 0 && fractionDigits == 0)
            {
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0 || !TryUnit(s[..unitLength], out var unit))
            {
                return false;
            }

            s = s[unitLength..];
            if (whole > (1UL << 63) / unit)
            {
                return false;
            }

            var term = whole * unit;
            if (fraction > 0)
            {
                term += (ulong)(fraction * (unit / scale));
                if (term > 1UL << 63)
                {
                    return false;
                }
            }

            total += term;
            if (total > 1UL << 63)
            {
                return false;
            }
        }

        if (!negative && total > long.MaxValue)
        {
            return false;
        }

        var nanoseconds = !negative ? (long)total : total == 1UL << 63 ? long.MinValue : -(long)total;
        value = TimeSpan.FromTicks(nanoseconds / 100);
        return true;
    }

    private static int LeadingInt(ref ReadOnlySpan<char> s, out ulong value, out bool overflow)
    {
        value = 0;
        overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > (1UL << 63) / 10)
            {
                overflow = true;
            }

            value = (value * 10) + (ulong)(s[i] - '0');
            if (value > 1UL << 63)
            {
                overflow = true;
            }
        }

        s = s[i..];
        return i;
    }

    private static int LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
            {
                continue;
            }

            if (value > (long.MaxValue - 9) / 10)
            {
                // Further digits cannot change the result at nanosecond precision.
                overflow = true;
                continue;
            }

            value = (value * 10) + (ulong)(s[i] - '0');
            scale *= 10;
        }

        s = s[i..];
        return i;
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => 1,
            "us" or "µs" or "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60UL * 1_000_000_000,
            "h" => 3600UL * 1_000_000_000,
            _ => 0,
        };
        return nanoseconds != 0;
    }
}
