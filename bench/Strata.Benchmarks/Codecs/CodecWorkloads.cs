namespace Strata.Benchmarks.Codecs;

/// <summary>The blocks the codec benchmarks encode: 1,000 values shaped like the load generator's data.</summary>
internal static class CodecWorkloads
{
    public const int Count = 1000;

    /// <summary>Timestamps in µs at a constant 10 s spacing.</summary>
    public static long[] RegularTimestamps()
    {
        var values = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            values[i] = 1_700_000_000_000_000 + (i * 10_000_000L);
        }

        return values;
    }

    /// <summary>Timestamps at 10 s spacing with ±1 ms of jitter and the odd missed point.</summary>
    public static long[] JitteredTimestamps()
    {
        var random = new Random(1);
        var values = new long[Count];
        var slot = 0L;
        for (var i = 0; i < Count; i++)
        {
            slot += random.Next(50) == 0 ? 2 : 1;
            values[i] = 1_700_000_000_000_000 + (slot * 10_000_000L) + random.Next(-1000, 1001);
        }

        return values;
    }

    /// <summary>
    /// Sequence numbers (n × 10000 + 1) of one series of W: 5 points in each 5,000-point request, requests committed
    /// by 4 writers up to 3 places out of time order.
    /// </summary>
    public static long[] InterleavedSequenceNumbers()
    {
        var random = new Random(3);
        var requests = (Count / 5) + 1;
        var commitOrder = Enumerable.Range(0, requests).OrderBy(r => r + random.Next(4)).ToArray();
        var ordinal = new long[requests];
        for (var k = 0; k < requests; k++)
        {
            ordinal[commitOrder[k]] = k;
        }

        var values = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            values[i] = ((((ordinal[i / 5] * 5000) + 210 + (i % 5)) + 1) * 10_000) + 1;
        }

        return values;
    }

    /// <summary>Like the load generator's walk: <c>Math.Round(previous + U(-1, 1), 2)</c> from 50.</summary>
    public static double[] TwoDecimalWalk()
    {
        var random = new Random(2);
        var values = new double[Count];
        var value = 50.0;
        for (var i = 0; i < Count; i++)
        {
            value = Math.Round(value + ((random.NextDouble() * 2) - 1), 2);
            values[i] = value;
        }

        return values;
    }

    /// <summary>Doubles with random mantissas, the worst case for Gorilla.</summary>
    public static double[] RandomDoubles()
    {
        var random = new Random(3);
        var values = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            values[i] = random.NextDouble() * 1000;
        }

        return values;
    }

    /// <summary>A counter that rises by 0..1,000 per point.</summary>
    public static long[] Counter()
    {
        var random = new Random(4);
        var values = new long[Count];
        for (var i = 1; i < Count; i++)
        {
            values[i] = values[i - 1] + random.Next(0, 1001);
        }

        return values;
    }

    /// <summary>Uniformly random int64 values.</summary>
    public static long[] RandomIntegers()
    {
        var random = new Random(5);
        var values = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            values[i] = random.NextInt64(long.MinValue, long.MaxValue);
        }

        return values;
    }

    public static bool[] RandomBools()
    {
        var random = new Random(6);
        var values = new bool[Count];
        for (var i = 0; i < Count; i++)
        {
            values[i] = random.Next(2) == 0;
        }

        return values;
    }

    /// <summary>Tag-like strings from a small vocabulary: LZ4 territory.</summary>
    public static string[] RepetitiveStrings()
    {
        string[] vocabulary = ["ok", "warning", "error", "server01.us-west-2", "server02.us-west-2", "GET /api/v1/write", "timeout"];
        var random = new Random(7);
        var values = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            values[i] = vocabulary[random.Next(vocabulary.Length)];
        }

        return values;
    }

    /// <summary>Random 16-character base64 strings: stored raw.</summary>
    public static string[] RandomStrings()
    {
        var random = new Random(8);
        var values = new string[Count];
        var bytes = new byte[12];
        for (var i = 0; i < Count; i++)
        {
            random.NextBytes(bytes);
            values[i] = Convert.ToBase64String(bytes);
        }

        return values;
    }
}
