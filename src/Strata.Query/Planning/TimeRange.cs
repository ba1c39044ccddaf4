using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Planning;

/// <summary>
/// Pulls the time range out of a where clause (query-language.md §5.4): start conditions <c>time &gt; X</c> and
/// end conditions <c>time &lt; X</c> are removed, the earliest start and the latest end win, <c>time = X</c> sets both
/// and stays in the condition; any other use of time is an error with 0.8's message.
/// </summary>
public static partial class TimeRange
{
    /// <summary>The default start: MinInt64 / 1e9 seconds (1677-09-21T00:12:44Z), in nanoseconds.</summary>
    public const long DefaultStartNanos = -9_223_372_036L * 1_000_000_000;

    public sealed record Result(long StartNanos, long EndNanos, bool StartSpecified, Expr? Remaining);

    public static Result Extract(Expr? where, long nowNanos)
    {
        long? start = null;
        long? end = null;
        var remaining = where is null ? null : Walk(where, nowNanos, underOr: false, ref start, ref end);
        return new Result(start ?? DefaultStartNanos, end ?? nowNanos, start is not null, remaining);
    }

    private static Expr? Walk(Expr expr, long now, bool underOr, ref long? start, ref long? end)
    {
        if (expr is BinaryExpr { IsLogical: true } logical)
        {
            var inOr = underOr || logical.Op == BinaryOp.Or;
            var left = Walk(logical.Left, now, inOr, ref start, ref end);
            var right = Walk(logical.Right, now, inOr, ref start, ref end);
            if (left is null)
            {
                return right;
            }

            return right is null ? left : logical with { Left = left, Right = right };
        }

        if (expr is InExpr { Left: ColumnRef { Name: "time" } })
        {
            throw StrataException.BadRequest("Cannot use time with 'in'");
        }

        if (expr is BinaryExpr comparison && comparison.IsComparison && IsTimeCondition(comparison, out var timeOnLeft))
        {
            if (underOr)
            {
                throw StrataException.BadRequest("Invalid where clause, time must appear twice to specify start and end time");
            }

            var other = timeOnLeft ? comparison.Right : comparison.Left;
            var op = comparison.Op;
            if (!timeOnLeft)
            {
                op = op switch
                {
                    BinaryOp.Greater => BinaryOp.Less,
                    BinaryOp.Less => BinaryOp.Greater,
                    _ => op,
                };
            }

            switch (op)
            {
                case BinaryOp.Greater:
                    start = Earliest(start, Evaluate(other, now));
                    return null;
                case BinaryOp.Less:
                    end = Latest(end, Evaluate(other, now));
                    return null;
                case BinaryOp.Equal:
                    var at = Evaluate(other, now);
                    start = at;
                    end = at;
                    return expr;
                default:
                    throw StrataException.BadRequest($"Cannot use time with '{BinaryExpr.OperatorText(comparison.Op)}'");
            }
        }

        return expr;
    }

    /// <summary>Several starts: the earliest wins, compared in whole seconds, a tie going to the later (right-hand) one.</summary>
    private static long Earliest(long? current, long candidate) =>
        current is null || FloorSeconds(candidate) <= FloorSeconds(current.Value) ? candidate : current.Value;

    private static long Latest(long? current, long candidate) =>
        current is null || FloorSeconds(candidate) >= FloorSeconds(current.Value) ? candidate : current.Value;

    private static long FloorSeconds(long nanos) => nanos / 1_000_000_000;

    private static bool IsTimeCondition(BinaryExpr comparison, out bool timeOnLeft)
    {
        timeOnLeft = comparison.Left is ColumnRef { Name: "time" } && comparison.Right is not ColumnRef;
        var timeOnRight = comparison.Right is ColumnRef { Name: "time" } && comparison.Left is not ColumnRef;
        return timeOnLeft || timeOnRight;
    }

    /// <summary>Evaluates a time operand to nanoseconds since the epoch (§5.1).</summary>
    public static long Evaluate(Expr expr, long now)
    {
        switch (expr)
        {
            case NowExpr:
                return now;
            case FunctionCall call:
                throw StrataException.BadRequest($"Invalid use of function {call.Name}");
            case NumberLiteral number:
                return number.TryGetInt64(out var integer) ? integer : Saturate(number.ToDouble());
            case DurationLiteral duration:
                return duration.Nanoseconds;
            case StringLiteral text:
                return ParseDate(text.Value);
            case BinaryExpr { Op: BinaryOp.Add } add:
                return unchecked(Evaluate(add.Left, now) + Evaluate(add.Right, now));
            case BinaryExpr { Op: BinaryOp.Subtract } subtract:
                return unchecked(Evaluate(subtract.Left, now) - Evaluate(subtract.Right, now));
            case BinaryExpr other:
                throw StrataException.BadRequest($"Cannot use '{BinaryExpr.OperatorText(other.Op)}' in a time expression");
            default:
                throw StrataException.BadRequest("Invalid time expression");
        }
    }

    private static long Saturate(double value) =>
        value >= 9.2233720368547758E18 ? long.MaxValue : value <= -9.2233720368547758E18 ? long.MinValue : (long)value;

    [GeneratedRegex(@"^(\d{4}|\d{2})-\d{1,2}-\d{1,2}( \d{1,2}(:\d{1,2}(:\d{1,2}(\.\d+)?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    /// <summary>A date string in UTC, as 0.8 reads it with Go's time.Parse (§5.3), to nanoseconds.</summary>
    public static long ParseDate(string text)
    {
        if (!DatePattern().IsMatch(text))
        {
            throw StrataException.BadRequest($"{text} isn't a valid time string");
        }

        // Layout by depth, as 0.8 picks it.
        var spaces = text.Split(' ');
        var colonCount = spaces.Length > 1 ? spaces[1].Count(c => c == ':') : -1;
        var layout = colonCount switch
        {
            -1 => "2006-01-02",
            0 => "2006-01-02 15",
            1 => "2006-01-02 15:04",
            _ => "2006-01-02 15:04:05",
        };

        var position = 0;
        var year = Field(text, ref position, 4, "2006", layout);
        Expect(text, ref position, '-', layout);
        var month = Field(text, ref position, 2, "01", layout);
        Expect(text, ref position, '-', layout);
        var day = Field(text, ref position, 2, "02", layout);
        int hour = 0, minute = 0, second = 0;
        long fractionNanos = 0;
        if (colonCount >= 0)
        {
            Expect(text, ref position, ' ', layout);
            var hourStart = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            hour = int.Parse(text.AsSpan(hourStart, position - hourStart), CultureInfo.InvariantCulture);
            if (colonCount >= 1)
            {
                Expect(text, ref position, ':', layout);
                minute = Field(text, ref position, 2, "04", layout);
            }

            if (colonCount >= 2)
            {
                Expect(text, ref position, ':', layout);
                second = Field(text, ref position, 2, "05", layout);
                if (position < text.Length && text[position] == '.')
                {
                    var digits = text[(position + 1)..];
                    var nanosText = digits.Length > 9 ? digits[..9] : digits.PadRight(9, '0');
                    fractionNanos = long.Parse(nanosText, CultureInfo.InvariantCulture);
                    position = text.Length;
                }
            }
        }

        string? range = month is < 1 or > 12 ? "month" : hour > 23 ? "hour" : minute > 59 ? "minute" : second > 59 ? "second" : null;
        if (range is null && (day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)))
        {
            range = "day";
        }

        if (range is not null || year < 1)
        {
            throw StrataException.BadRequest($"parsing time \"{text}\": {range ?? "year"} out of range");
        }

        var date = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return ((date.Ticks - DateTime.UnixEpoch.Ticks) * 100) + fractionNanos;
    }

    private static int Field(string text, ref int position, int width, string element, string layout)
    {
        var end = position;
        while (end < text.Length && end - position < width && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        if (end - position != width)
        {
            throw StrataException.BadRequest($"parsing time \"{text}\" as \"{layout}\": cannot parse \"{text[position..]}\" as \"{element}\"");
        }

        var value = int.Parse(text.AsSpan(position, width), CultureInfo.InvariantCulture);
        position = end;
        return value;
    }

    private static void Expect(string text, ref int position, char separator, string layout)
    {
        if (position >= text.Length || text[position] != separator)
        {
            throw StrataException.BadRequest($"parsing time \"{text}\" as \"{layout}\": cannot parse \"{text[position..]}\" as \"{separator}\"");
        }

        position++;
    }
}
