using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Strata.Core;
using Strata.Storage;
using Strata.Storage.Meta;

namespace Strata.Benchmarks.Storage;

/// <summary>
/// The storage engine's whole write path for 200 requests of workload W's shape (1,000 series × 5 points of a
/// two-decimal float, 10 s spacing; 1 M points): checks of every point's time, sequence numbers, the WAL record and
/// its group-committed fsyncs, the series index, last points and memtables. Each operation writes into a fresh
/// engine (opened in the iteration's setup, closed without a flush after it) and waits for the last record to be
/// durable. Points/s = 1 M / the mean.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, iterationCount: 40, warmupCount: 3)]
public class EngineWriteBenchmarks
{
    private const int Requests = 200;

    private readonly WriteBatch[] _requests = WorkloadW.Requests(Requests);
    private readonly Task[] _durable = new Task[Requests];
    private string _directory = null!;
    private StorageEngine _engine = null!;
    private DatabaseInfo _database = null!;

    [IterationSetup]
    public void OpenEngine()
    {
        _directory = Path.Combine(Path.GetTempPath(), "strata-engine-write-bench", Guid.NewGuid().ToString("N"));
        _engine = StorageEngine.Open(new StorageOptions { DataDirectory = _directory, MemtableBytes = 1L << 30 });
        _database = _engine.Meta.CreateDatabase("load");
    }

    [IterationCleanup]
    public void CloseEngine()
    {
        _engine.CloseWithoutFlush();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public long Write()
    {
        var now = Clock.NowMicros();
        for (var r = 0; r < Requests; r++)
        {
            _durable[r] = _engine.WriteAsync(_database, _requests[r], now);
        }

        Task.WaitAll(_durable);
        return _engine.Metrics.PointsWritten;
    }
}
