using BenchmarkDotNet.Attributes;
using Strata.Core;
using Strata.Storage;

namespace Strata.Benchmarks.Storage;

/// <summary>
/// Start-up after a crash (goal G8): 1 M points in workload W's shape (requests of 1,000 series × 5 points, a
/// two-decimal random walk at 10 s spacing) sit in the WAL of an engine closed without flushing, as a killed
/// process leaves it. Each operation opens the engine, which replays the WAL into memtables, and closes it again
/// without flushing. Points/s = 1 M / the mean time.
/// </summary>
[MemoryDiagnoser]
public class RecoveryBenchmarks
{
    private const int Requests = 200;

    private string _directory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "strata-recovery-bench", Guid.NewGuid().ToString("N"));
        var engine = StorageEngine.Open(Options());
        var database = engine.Meta.CreateDatabase("load");
        foreach (var batch in WorkloadW.Requests(Requests))
        {
            engine.WriteAsync(database, batch, Clock.NowMicros()).GetAwaiter().GetResult();
        }

        engine.CloseWithoutFlush();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public long Replay()
    {
        var engine = StorageEngine.Open(Options());
        var written = engine.Metrics.PointsWritten;
        engine.CloseWithoutFlush();
        return written;
    }

    private StorageOptions Options() => new() { DataDirectory = _directory, MemtableBytes = 4L << 30 };
}
