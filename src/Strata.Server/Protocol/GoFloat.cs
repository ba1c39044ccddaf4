using System.Globalization;

namespace Strata.Server.Protocol;

/// <summary>
/// Formats doubles the way Go 1.3's encoding/json does (strconv 'g' with shortest precision): the shortest digits
/// that round-trip, in exponent form when the decimal exponent is below -4 or at least 6 (reference http-api.md §1.5):
/// 3.0 → 3, 1000000.0 → 1e+06, 1234567.5 → 1.2345675e+06, 0.00001 → 1e-05.
/// </summary>
public static class GoFloat
{
    public static string Format(double value)
    {
        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        Span<char> buffer = stackalloc char[32];
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

        var d = digits[lead..nd];
        var dp = pointPosition - lead + exponent;

        // Strip trailing zeros.
        var len = d.Length;
        while (len > 1 && d[len - 1] == '0')
        {
            len--;
        }

        d = d[..len];
        var exp = dp - 1;
        var result = new System.Text.StringBuilder(32);
        if (negative)
        {
            result.Append('-');
        }

        if (exp < -4 || exp >= 6)
        {
            result.Append(d[0]);
            if (d.Length > 1)
            {
                result.Append('.').Append(d[1..]);
            }

            result.Append('e').Append(exp < 0 ? '-' : '+');
            var absExp = Math.Abs(exp);
            if (absExp < 10)
            {
                result.Append('0');
            }

            result.Append(absExp.ToString(CultureInfo.InvariantCulture));
        }
        else if (dp <= 0)
        {
            result.Append("0.").Append('0', -dp).Append(d);
        }
        else if (dp >= d.Length)
        {
            result.Append(d).Append('0', dp - d.Length);
        }
        else
        {
            result.Append(d[..dp]).Append('.').Append(d[dp..]);
        }

        return result.ToString();
    }
}
