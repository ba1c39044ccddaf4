using BenchmarkDotNet.Attributes;
using Strata.Benchmarks.Codecs;
using Strata.Core;

namespace Strata.Benchmarks.Core;

/// <summary>
/// The exact sum of 1,000 doubles against adding them in order: the price of sums that do not depend on where
/// storage cut the blocks. "walk-2-decimals" stays in the small form; "random" (bits of any exponent) goes wide.
/// Nanoseconds a value = mean / 1,000.
/// </summary>
public class ExactSumBenchmarks
{
    private double[] _values = [];

    [Params("walk-2-decimals", "random")]
    public string Workload { get; set; } = "walk-2-decimals";

    [GlobalSetup]
    public void Setup() => _values = Workload == "random" ? CodecWorkloads.RandomDoubles() : CodecWorkloads.TwoDecimalWalk();

    [Benchmark(Baseline = true)]
    public double InOrder()
    {
        var sum = 0.0;
        foreach (var value in _values)
        {
            sum += value;
        }

        return sum;
    }

    [Benchmark]
    public double Exact()
    {
        var sum = default(ExactSum);
        foreach (var value in _values)
        {
            sum.Add(value);
        }

        return sum.Round();
    }

    [Benchmark]
    public double ExactSpan()
    {
        var sum = default(ExactSum);
        sum.Add(_values);
        return sum.Round();
    }
}
