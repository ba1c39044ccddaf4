using System.Numerics;

namespace Strata.Query.Parsing.Ast;

/// <summary>Reads duration texts (common/helpers.go ParseTimeDuration, with the §1.6 fixes).</summary>
public static class DurationValue
{
    private const long NanosPerDay = 86_400_000_000_000;

    /// <summary>Nanoseconds for a DURATION or number text (a bare number is nanoseconds), saturated at the int64 range.</summary>
    public static long ToNanoseconds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (number, unit) = Split(text);
        if (!TryParseDecimal(number, out var numerator, out var denominator))
        {
            return 0;
        }
        var value = numerator * unit / denominator; // BigInteger division truncates toward zero.
        return value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;
    }

    public static bool IsCalendarInterval(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        char last = text[^1];
        if (last is not ('w' or 'W' or 'M' or 'y' or 'Y'))
        {
            return false;
        }
        long ns = ToNanoseconds(text);
        return ns is 7 * NanosPerDay or 30 * NanosPerDay or 365 * NanosPerDay;
    }

    private static (string Number, long Unit) Split(string text)
    {
        if (text.Length >= 2 && text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            return (text[..^2], 1_000_000);
        }
        if (text.Length == 0)
        {
            return (text, 1);
        }
        long unit = text[^1] switch
        {
            'u' or 'U' => 1_000,
            's' or 'S' => 1_000_000_000,
            'm' => 60_000_000_000,
            'M' => 30 * NanosPerDay,
            'h' or 'H' => 3_600_000_000_000,
            'd' or 'D' => NanosPerDay,
            'w' or 'W' => 7 * NanosPerDay,
            'y' or 'Y' => 365 * NanosPerDay,
            _ => 0,
        };
        return unit == 0 ? (text, 1) : (text[..^1], unit);
    }

    private static bool TryParseDecimal(string s, out BigInteger numerator, out BigInteger denominator)
    {
        numerator = BigInteger.Zero;
        denominator = BigInteger.One;
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] == '-')
        {
            negative = true;
            i++;
        }
        bool any = false;
        bool afterDot = false;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '.' && !afterDot)
            {
                afterDot = true;
                continue;
            }
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            any = true;
            numerator = numerator * 10 + (c - '0');
            if (afterDot)
            {
                denominator *= 10;
            }
        }
        if (negative)
        {
            numerator = -numerator;
        }
        return any;
    }
}
