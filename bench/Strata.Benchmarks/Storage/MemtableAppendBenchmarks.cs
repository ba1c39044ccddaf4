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
    private const int Requests = 20;

    private readonly SeriesPoints[][] _requests = new SeriesPoints[Requests][];
    private int[] _order = [];

    [Params(false, true)]
    public bool Late { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // W's requests, numbered in order as the engine would number them.
        long seq = 0;
        var requests = WorkloadW.Requests(Requests);
        for (var r = 0; r < Requests; r++)
        {
            _requests[r] = [.. requests[r].Series];
            foreach (var points in _requests[r])
            {
                for (var k = 0; k < points.PointCount; k++)
                {
                    points.Seqs[k] = (++seq * 10_000) + 1;
                }
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
                    appender.Append(memtable, (uint)s, request[s], 0, WorkloadW.PointsPerRequest);
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
