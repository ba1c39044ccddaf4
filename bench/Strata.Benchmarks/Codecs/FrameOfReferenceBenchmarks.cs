using BenchmarkDotNet.Attributes;
using Strata.Storage.Segments.Codecs;

namespace Strata.Benchmarks.Codecs;

/// <summary>
/// Planning one block of 1,000 integers in one order (the integer codec plans two or three orders a
/// block): the residuals' ranks taken by counting (small ranges, the default) or from a heap of the
/// smallest ones, which <see cref="FrameOfReference.Measure"/> used for every range before.
/// </summary>
[MemoryDiagnoser]
public class FrameOfReferenceBenchmarks
{
    private long[] _values = [];

    /// <summary>walk: a 2-decimal random walk as hundredths (its deltas span ~200); counter: +0..1,000 a point.</summary>
    [Params("walk", "counter")]
    public string Workload { get; set; } = "walk";

    [Params(1, 2)]
    public int Order { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        if (Workload == "counter")
        {
            _values = CodecWorkloads.Counter();
            return;
        }

        var walk = CodecWorkloads.TwoDecimalWalk();
        _values = new long[walk.Length];
        for (var i = 0; i < walk.Length; i++)
        {
            _values[i] = (long)Math.Round(walk[i] * 100);
        }
    }

    [Benchmark(Baseline = true)]
    public int Heap() => FrameOfReference.MeasureByHeap(_values, Order).Width;

    [Benchmark]
    public int Counting() => FrameOfReference.Measure(_values, Order).Width;
}
