using Strata.Core;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// The <c>group by time(D)</c> buckets (query-language.md §7.2). A bucket starts at the time rounded down to a
/// multiple of D counted from 0001-01-01T00:00:00Z (Go's <c>Time.Truncate</c>; the same as epoch alignment for
/// every D that divides a day, Mondays for <c>7d</c>). <c>1w</c>, <c>1M</c> and <c>1y</c> are calendar units
/// starting on Sunday, the first of the month and January 1st, always in UTC (Strata fix of 0.8's local-zone dates).
/// </summary>
public sealed class TimeBuckets
{
    /// <summary>0001-01-01T00:00:00Z in nanoseconds before the Unix epoch.</summary>
    private static readonly Int128 YearOneOffsetNanos = (Int128)62_135_596_800L * 1_000_000_000;

    private readonly Calendar _calendar;
    private readonly long _micros;
    private readonly long _microsOffset;

    private TimeBuckets(long nanos, Calendar calendar)
    {
        Nanos = nanos;
        _calendar = calendar;
        if (nanos % 1000 == 0)
        {
            _micros = nanos / 1000;
            _microsOffset = (long)(YearOneOffsetNanos / 1000 % _micros);
        }
    }

    private enum Calendar : byte
    {
        None,
        Week,
        Month,
        Year,
    }

    /// <summary>The interval in nanoseconds (a calendar interval's nominal 7, 30 or 365 days).</summary>
    public long Nanos { get; }

    /// <summary>
    /// The buckets of a group-by clause, or null when it has no <c>time()</c> element (the first one counts, as in
    /// 0.8). Errors in 0.8's words: <c>time function only accepts one argument</c>,
    /// <c>invalid argument X to the time function</c>.
    /// </summary>
    public static TimeBuckets? From(GroupByClause? groupBy)
    {
        if (groupBy is null)
        {
            return null;
        }

        foreach (var element in groupBy.Elements)
        {
            if (element is FunctionCall call && call.Name.Equals("time", StringComparison.OrdinalIgnoreCase))
            {
                if (call.Args.Count != 1)
                {
                    throw StrataException.BadRequest("time function only accepts one argument");
                }

                return Parse(call.Args[0]);
            }
        }

        return null;
    }

    private static TimeBuckets Parse(Expr argument)
    {
        var (nanos, calendar) = argument switch
        {
            DurationLiteral duration => (duration.Nanoseconds, duration.IsCalendarInterval ? CalendarOf(duration.Text[^1]) : Calendar.None),
            NumberLiteral number => (DurationValue.ToNanoseconds(number.Text), Calendar.None),
            _ => (0L, Calendar.None),
        };

        // 0.8.8 takes a zero or negative length (every point its own bucket, and a fill that never ends); Strata refuses it.
        if (nanos <= 0)
        {
            throw StrataException.BadRequest($"invalid argument {Functions.FunctionRegistry.ValueName(argument)} to the time function");
        }

        return new TimeBuckets(nanos, calendar);
    }

    private static Calendar CalendarOf(char unit) => unit switch
    {
        'w' or 'W' => Calendar.Week,
        'M' => Calendar.Month,
        _ => Calendar.Year,
    };

    /// <summary>True when fill can step bucket by bucket (intervals under 1 µs never end in 0.8.8, §13 item 33).</summary>
    public bool CanFill => Nanos >= 1000;

    /// <summary>The start (µs) of the bucket holding <paramref name="micros"/>.</summary>
    public long BucketOf(long micros)
    {
        if (_calendar != Calendar.None)
        {
            return CalendarBucket(micros);
        }

        if (_micros != 0 && micros <= long.MaxValue - _microsOffset)
        {
            var mod = (micros + _microsOffset) % _micros;
            if (mod < 0)
            {
                mod += _micros;
            }

            return micros - mod;
        }

        // Sub-microsecond or odd-nanosecond lengths (and times within D of the int64 limit): Go truncates the
        // nanosecond time, then divides by 1000 toward zero.
        var nanos = (Int128)micros * 1000;
        var m = (nanos + YearOneOffsetNanos) % Nanos;
        if (m < 0)
        {
            m += Nanos;
        }

        return (long)((nanos - m) / 1000);
    }

    /// <summary>The start of the bucket after the one starting at <paramref name="bucket"/>.</summary>
    public long Next(long bucket) => _calendar switch
    {
        Calendar.Week => bucket + (7 * 86_400_000_000L),
        Calendar.Month => ToMicros(FromMicros(bucket).AddMonths(1)),
        Calendar.Year => ToMicros(FromMicros(bucket).AddYears(1)),
        _ => BucketOf(bucket + Math.Max(1, Nanos / 1000)),
    };

    private long CalendarBucket(long micros)
    {
        var date = FromMicros(micros).Date;
        var start = _calendar switch
        {
            Calendar.Week => date.AddDays(-(int)date.DayOfWeek),
            Calendar.Month => new DateTime(date.Year, date.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => new DateTime(date.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        };
        return ToMicros(start);
    }

    private static DateTime FromMicros(long micros) =>
        DateTime.UnixEpoch.AddTicks(Math.Clamp(micros, (DateTime.MinValue - DateTime.UnixEpoch).Ticks / 10, (DateTime.MaxValue - DateTime.UnixEpoch).Ticks / 10) * 10);

    private static long ToMicros(DateTime time) => (time - DateTime.UnixEpoch).Ticks / 10;
}
