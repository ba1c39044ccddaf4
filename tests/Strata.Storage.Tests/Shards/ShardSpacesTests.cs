using CsCheck;
using Strata.Storage.Shards;

namespace Strata.Storage.Tests.Shards;

/// <summary>Bucket arithmetic of shard spaces: which times 0.8 accepts (their bucket within years 0000..9999).</summary>
public class ShardSpacesTests
{
    private static readonly long[] Durations = [1, 1_000_000, 3_600_000_000, ShardSpaces.DefaultShardDurationMicros, 365L * 24 * 3_600_000_000, 5000L * 365 * 24 * 3_600_000_000];

    [Fact]
    public void InRange_IsTrueExactlyWhenTheWholeBucketLiesWithinTheLimits()
    {
        // Times anywhere, and times near each limit, where the shortcut for times well inside stops applying.
        var nearLimit = Gen.Select(Gen.Bool, Gen.Long[-3 * Durations[^1], 3 * Durations[^1]])
            .Select((atMax, offset) => unchecked((atMax ? ShardSpaces.MaxBucketMicros : ShardSpaces.MinBucketMicros) + offset));
        Gen.Select(Gen.OneOf(Gen.Long, nearLimit), Gen.Int[0, Durations.Length - 1].Select(i => Durations[i]))
            .Sample((micros, duration) => ShardSpaces.InRange(micros, duration).ShouldBe(ByDefinition(micros, duration)), iter: 20_000);
    }

    [Theory]
    [InlineData(ShardSpaces.MinBucketMicros, true)]
    [InlineData(ShardSpaces.MinBucketMicros - 1, false)]
    [InlineData(ShardSpaces.MaxBucketMicros - 1, true)]
    [InlineData(ShardSpaces.MaxBucketMicros, false)]
    [InlineData(long.MinValue, false)]
    [InlineData(long.MaxValue, false)]
    [InlineData(0, true)]
    public void InRange_AtTheLimits_WithOneMicrosecondBuckets(long micros, bool expected) =>
        ShardSpaces.InRange(micros, 1).ShouldBe(expected);

    [Fact]
    public void InRange_RejectsAWeekBucketThatStartsBeforeYearZero()
    {
        // 0000-01-01 is not a bucket boundary of 7-day buckets aligned to the epoch, so its bucket starts earlier.
        var week = ShardSpaces.DefaultShardDurationMicros;
        var (start, _) = ShardSpaces.Bucket(ShardSpaces.MinBucketMicros, week);
        start.ShouldBeLessThan(ShardSpaces.MinBucketMicros);
        ShardSpaces.InRange(ShardSpaces.MinBucketMicros, week).ShouldBeFalse();
        ShardSpaces.InRange(start + week, week).ShouldBeTrue();
    }

    private static bool ByDefinition(long micros, long duration)
    {
        if (micros < ShardSpaces.MinBucketMicros || micros >= ShardSpaces.MaxBucketMicros)
        {
            return false;
        }

        var (start, end) = ShardSpaces.Bucket(micros, duration);
        return start >= ShardSpaces.MinBucketMicros && end <= ShardSpaces.MaxBucketMicros;
    }
}
