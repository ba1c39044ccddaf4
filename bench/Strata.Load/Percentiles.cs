using System.Diagnostics;
using System.Globalization;

namespace Strata.Load;

/// <summary>Latency percentiles (nearest rank) over a set of <see cref="Stopwatch"/> tick counts.</summary>
internal readonly record struct Percentiles(double P50, double P90, double P99, double Max, int Count)
{
    /// <summary>Computes the percentiles in milliseconds; <paramref name="ticks"/> is sorted in place.</summary>
    public static Percentiles FromTicks(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return default;
        }

        Array.Sort(ticks);
        return new Percentiles(Rank(ticks, 0.50), Rank(ticks, 0.90), Rank(ticks, 0.99), Ms(ticks[^1]), ticks.Length);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50:F2} ms   p90 {P90:F2} ms   p99 {P99:F2} ms   max {Max:F2} ms   ({Count} requests)");

    private static double Rank(long[] sorted, double p)
    {
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return Ms(sorted[Math.Clamp(index, 0, sorted.Length - 1)]);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
