using Strata.Query.Execution.Aggregation;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Tests.Execution;

/// <summary>Bucket alignment of <c>group by time(D)</c> (query-language.md §7.2).</summary>
public sealed class TimeBucketsTests
{
    private static TimeBuckets Buckets(string interval) =>
        TimeBuckets.From(((SelectStatement)QueryParser.Parse($"select count(v) from t group by time({interval})")[0]).GroupBy)!;

    private static long Micros(string utc) => (DateTime.Parse(utc, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal) - DateTime.UnixEpoch).Ticks / 10;

    [Theory]
    [InlineData("1m", "2014-05-13 16:03:10", "2014-05-13 16:03:00")]
    [InlineData("1h", "2014-05-13 16:59:59.999999", "2014-05-13 16:00:00")]
    [InlineData("1d", "1969-12-31 23:00:00", "1969-12-31 00:00:00")]
    [InlineData("7d", "2014-05-13 16:00:00", "2014-05-12 00:00:00")] // a Monday: counted from 0001-01-01
    [InlineData("7d", "2014-05-11 23:59:59", "2014-05-05 00:00:00")]
    [InlineData("1w", "2014-05-13 16:00:00", "2014-05-11 00:00:00")] // calendar weeks start on Sunday
    [InlineData("1w", "2014-05-11 00:00:00", "2014-05-11 00:00:00")]
    [InlineData("2w", "2014-05-13 16:00:00", "2014-05-12 00:00:00")] // not a calendar interval: plain 14 days
    [InlineData("1M", "2014-02-28 23:00:00", "2014-02-01 00:00:00")]
    [InlineData("30d", "2014-02-28 23:00:00", "2014-02-07 00:00:00")]
    [InlineData("1y", "2016-12-31 23:59:59", "2016-01-01 00:00:00")]
    [InlineData("365d", "2016-12-31 23:59:59", "2016-08-30 00:00:00")]
    public void BucketOf_AlignsAs08(string interval, string time, string bucket) =>
        Buckets(interval).BucketOf(Micros(time)).ShouldBe(Micros(bucket));

    [Theory]
    [InlineData("1M", "2014-01-01 00:00:00", "2014-02-01 00:00:00")]
    [InlineData("1M", "2014-02-01 00:00:00", "2014-03-01 00:00:00")]
    [InlineData("1y", "2015-01-01 00:00:00", "2016-01-01 00:00:00")]
    [InlineData("1w", "2014-05-11 00:00:00", "2014-05-18 00:00:00")]
    [InlineData("10s", "2014-05-11 00:00:00", "2014-05-11 00:00:10")]
    public void Next_StepsByCalendarUnits(string interval, string bucket, string next) =>
        Buckets(interval).Next(Micros(bucket)).ShouldBe(Micros(next));

    [Fact]
    public void BucketOf_SubMicrosecondIntervalsKeepEveryMicrosecond()
    {
        var buckets = Buckets("10");
        buckets.CanFill.ShouldBeFalse();
        buckets.BucketOf(1_399_996_800_000_001).ShouldBe(1_399_996_800_000_001);
        buckets.BucketOf(-3).ShouldBe(-3);
    }

    [Fact]
    public void BucketOf_IsMonotonicAndContainsTheTime()
    {
        var buckets = Buckets("7m");
        var previous = long.MinValue;
        for (var t = -10_000_000_000L; t < 10_000_000_000L; t += 37_000_001)
        {
            var bucket = buckets.BucketOf(t);
            bucket.ShouldBeLessThanOrEqualTo(t);
            (t - bucket).ShouldBeLessThan(7 * 60_000_000L);
            bucket.ShouldBeGreaterThanOrEqualTo(previous);
            previous = bucket;
        }
    }
}
