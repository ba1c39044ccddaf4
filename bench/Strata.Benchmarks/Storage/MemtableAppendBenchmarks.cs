using BenchmarkDotNet.Attributes;
using Strata.Core;
using Strata.Storage.Memtable;

namespace Strata.Benchmarks.Storage;

/// <summary>
/// Twenty requests of workload W's shape (1,000 series × 5 points of a two-decimal float, 10 s spacing) appended to
/// a fresh memtable as a write applies them, one run per series. With <see cref="Late"/> every other pair of requests
/// arrives swapped, as concurrent writers commit them, so half the runs belong before the run already there.
/// Points/s = 100,000 / the mean; allocated bytes / 100,000 = bytes per point.
/// </summary>
[MemoryDiagnoser]
public class MemtableAppendBenchmarks
{
    private const int Series = 1_000;
    private const int Requests = 20;
    private const int PointsPerRun = 5;

    private readonly SeriesPoints[][] _requests = new SeriesPoints[Requests][];
    private int[] _order = [];

    [Params(false, true)]
    public bool Late { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var values = new double[Series];
        Array.Fill(values, 50.0);
        long seq = 0;
        for (var r = 0; r < Requests; r++)
        {
            _requests[r] = new SeriesPoints[Series];
            for (var s = 0; s < Series; s++)
            {
                var points = new SeriesPoints("cpu.host" + s, ["c0"]);
                for (var k = 0; k < PointsPerRun; k++)
                {
                    values[s] = Math.Round(values[s] + ((random.NextDouble() * 2) - 1), 2) + 0.0;
                    points.Times.Add(1_577_836_800_000_000 + (((r * PointsPerRun) + k) * 10_000_000L));
                    points.Seqs.Add((++seq * 10_000) + 1);
                    points.ClientSeq.Add(false);
                    points.Values.Add(FieldValue.FromDouble(values[s]));
                }

                _requests[r][s] = points;
            }
        }

        _order = [.. Enumerable.Range(0, Requests).Select(r => Late ? r ^ 1 : r)];
    }

    [Benchmark]
    public long Append()
    {
        var memtable = new Memtable();
        var appender = new MemtableAppender();
        try
        {
            foreach (var r in _order)
            {
                var request = _requests[r];
                for (var s = 0; s < request.Length; s++)
                {
                    appender.Append(memtable, (uint)s, request[s], 0, PointsPerRun);
                }
            }
        }
        finally
        {
            appender.Dispose();
        }

        var entries = memtable.Entries;
        memtable.Release();
        return entries;
    }
}
