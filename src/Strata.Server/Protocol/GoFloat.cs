using System.Globalization;

namespace Strata.Server.Protocol;

/// <summary>
/// Formats doubles the way Go 1.3's encoding/json does (strconv 'g' with shortest precision): the shortest digits
/// that round-trip, in exponent form when the decimal exponent is below -4 or at least 6 (reference http-api.md §1.5):
/// 3.0 → 3, 1000000.0 → 1e+06, 1234567.5 → 1.2345675e+06, 0.00001 → 1e-05.
/// </summary>
public static class GoFloat
{
    /// <summary>Characters <see cref="Write"/> may need: sign, 17 digits, point, exponent.</summary>
    public const int MaxLength = 32;

    public static string Format(double value)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        return new string(buffer[..Write(value, buffer)]);
    }

    /// <summary>
    /// Writes what <see cref="Format"/> returns into <paramref name="destination"/> (at least <see cref="MaxLength"/>
    /// characters) and returns its length: query answers format every float without a string each.
    /// </summary>
    public static int Write(double value, Span<char> destination)
    {
        if (value == 0)
        {
            return Put(destination, double.IsNegative(value) ? "-0" : "0");
        }

        Span<char> buffer = stackalloc char[MaxLength];
        if (!value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("BUG: double did not fit in 32 characters");
        }

        ReadOnlySpan<char> text = buffer[..written];
        var negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }

        // Split .NET's shortest form into a digit string and the position of the decimal point.
        Span<char> digits = stackalloc char[24];
        var nd = 0;
        var pointPosition = -1;
        var exponent = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                pointPosition = nd;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[nd++] = c;
            }
        }

        if (pointPosition < 0)
        {
            pointPosition = nd;
        }

        // Strip leading zeros (0.00123 → digits 123, point moves left).
        var lead = 0;
        while (lead < nd - 1 && digits[lead] == '0')
        {
            lead++;
        }

        ReadOnlySpan<char> d = digits[lead..nd];
        var dp = pointPosition - lead + exponent;

        // Strip trailing zeros.
        var len = d.Length;
        while (len > 1 && d[len - 1] == '0')
        {
            len--;
        }

        d = d[..len];
        var exp = dp - 1;
        var n = 0;
        if (negative)
        {
            destination[n++] = '-';
        }

        if (exp < -4 || exp >= 6)
        {
            destination[n++] = d[0];
            if (d.Length > 1)
            {
                destination[n++] = '.';
                n += Put(destination[n..], d[1..]);
            }

            destination[n++] = 'e';
            destination[n++] = exp < 0 ? '-' : '+';
            var absExp = Math.Abs(exp);
            if (absExp < 10)
            {
                destination[n++] = '0';
            }

            absExp.TryFormat(destination[n..], out var expDigits, default, CultureInfo.InvariantCulture);
            n += expDigits;
        }
        else if (dp <= 0)
        {
            n += Put(destination[n..], "0.");
            destination.Slice(n, -dp).Fill('0');
            n += -dp;
            n += Put(destination[n..], d);
        }
        else if (dp >= d.Length)
        {
            n += Put(destination[n..], d);
            destination.Slice(n, dp - d.Length).Fill('0');
            n += dp - d.Length;
        }
        else
        {
            n += Put(destination[n..], d[..dp]);
            destination[n++] = '.';
            n += Put(destination[n..], d[dp..]);
        }

        return n;
    }

    private static int Put(Span<char> destination, ReadOnlySpan<char> text)
    {
        text.CopyTo(destination);
        return text.Length;
    }
}
