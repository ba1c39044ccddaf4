namespace Strata.Storage.Shards;

/// <summary>Time-bucket arithmetic of shard spaces (reference http-api.md §8.5).</summary>
public static class ShardSpaces
{
    /// <summary>The name of the space every series falls into until shard spaces are configured.</summary>
    public const string DefaultSpace = "default";

    /// <summary>0.8's default shard duration: 7 days, so buckets start on Thursdays (1970-01-01 was one).</summary>
    public const long DefaultShardDurationMicros = 7L * 24 * 3600 * 1_000_000;

    /// <summary>0000-01-01T00:00:00Z in µs since the epoch.</summary>
    public const long MinBucketMicros = -62_167_219_200L * 1_000_000;

    /// <summary>10000-01-01T00:00:00Z in µs: bucket ends may reach it, not pass it.</summary>
    public const long MaxBucketMicros = 253_402_300_800L * 1_000_000;

    /// <summary>The bucket [start, end) holding <paramref name="micros"/>, aligned to multiples of the duration since the epoch.</summary>
    public static (long Start, long End) Bucket(long micros, long durationMicros)
    {
        var start = Math.DivRem(micros, durationMicros, out var rem) * durationMicros;
        if (rem < 0)
        {
            start -= durationMicros;
        }

        return (start, start + durationMicros);
    }

    /// <summary>True when the bucket of <paramref name="micros"/> lies within years 0000..9999, as 0.8 requires.</summary>
    public static bool InRange(long micros, long durationMicros)
    {
        // A time at least one duration inside both limits has its whole bucket inside them: no division (this runs
        // for every point written).
        if (micros - MinBucketMicros >= durationMicros && MaxBucketMicros - micros >= durationMicros)
        {
            return true;
        }

        if (micros < MinBucketMicros || micros >= MaxBucketMicros)
        {
            return false;
        }

        var (start, end) = Bucket(micros, durationMicros);
        return start >= MinBucketMicros && end <= MaxBucketMicros;
    }
}
