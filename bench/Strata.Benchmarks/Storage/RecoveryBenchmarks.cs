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
    private const int Series = 1_000;
    private const int Points = 1_000;
    private const int RunLength = 5;
    private const long Start = 1_577_836_800_000_000; // 2020-01-01 in µs

    private string _directory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "strata-recovery-bench", Guid.NewGuid().ToString("N"));
        var engine = StorageEngine.Open(Options());
        var database = engine.Meta.CreateDatabase("load");
        var random = new Random(42);
        var walk = new double[Series];
        Array.Fill(walk, 50.0);
        for (var first = 0; first < Points; first += RunLength)
        {
            var batch = new WriteBatch();
            for (var s = 0; s < Series; s++)
            {
                var points = new SeriesPoints("cpu.host" + s, ["c0"]);
                for (var k = first; k < first + RunLength; k++)
                {
                    walk[s] = Math.Round(walk[s] + ((random.NextDouble() * 2) - 1), 2) + 0.0;
                    points.Times.Add(Start + (k * 10_000_000L));
                    points.Seqs.Add(SeriesPoints.NoSeq);
                    points.ClientSeq.Add(false);
                    points.Values.Add(FieldValue.FromDouble(walk[s]));
                }

                batch.Series.Add(points);
            }

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
