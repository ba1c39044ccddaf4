using BenchmarkDotNet.Attributes;
using Strata.Core;
using Strata.Query.Execution;
using Strata.Query.Parsing;
using Strata.Storage;

namespace Strata.Benchmarks.Queries;

/// <summary>
/// The query pipeline without the network (STYLE.md "Benchmarks"): 1,000 series × 1,000 points of a two-decimal
/// random walk at 10 s spacing, flushed to segments, queried straight through <see cref="QueryEngine"/> into an
/// output that counts rows. Points/s = 1 M / the mean time.
/// </summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private const int Series = 1_000;
    private const int Points = 1_000;
    private const long Start = 1_577_836_800_000_000; // 2020-01-01 in µs

    private string _directory = null!;
    private StorageEngine _engine = null!;
    private QueryEngine _queries = null!;

    [Params(
        "select count(c0) from /cpu.*/",
        "select mean(c0) from /cpu.*/ group by time(1d)",
        "select mean(c0) from /cpu.*/ group by time(7m)",
        "select max(c0) from /cpu.*/ where c0 > 50",
        "select * from cpu.host5 limit 10",
        "select * from /.*/ limit 1")]
    public string Query { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "strata-query-bench", Guid.NewGuid().ToString("N"));
        _engine = StorageEngine.Open(new StorageOptions { DataDirectory = _directory, MemtableBytes = 1L << 30 });
        var database = _engine.Meta.CreateDatabase("load");
        var random = new Random(42);
        for (var chunk = 0; chunk < Points; chunk += 100)
        {
            var batch = new WriteBatch();
            for (var s = 0; s < Series; s++)
            {
                var points = new SeriesPoints("cpu.host" + s, ["c0"]);
                var value = 50.0;
                for (var k = chunk; k < chunk + 100; k++)
                {
                    value = Math.Round(value + ((random.NextDouble() * 2) - 1), 2) + 0.0;
                    points.Times.Add(Start + (k * 10_000_000L));
                    points.Seqs.Add(SeriesPoints.NoSeq);
                    points.ClientSeq.Add(false);
                    points.Values.Add(FieldValue.FromDouble(value));
                }

                batch.Series.Add(points);
            }

            _engine.WriteAsync(database, batch, Clock.NowMicros()).GetAwaiter().GetResult();
        }

        _engine.Flush();
        _queries = new QueryEngine(_engine);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public async Task<long> Run()
    {
        var output = new CountingOutput();
        await _queries.ExecuteAsync("load", QueryParser.Parse(Query)[0], Clock.NowMicros(), Query, output, pieceSize: 10_000);
        return output.Rows;
    }

    private sealed class CountingOutput : IQueryOutput
    {
        public long Rows { get; private set; }

        public ValueTask EmitAsync(SeriesResult piece)
        {
            Rows += piece.Rows.Count;
            return ValueTask.CompletedTask;
        }
    }
}
