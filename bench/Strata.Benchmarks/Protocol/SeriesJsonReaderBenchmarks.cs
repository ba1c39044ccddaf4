using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Benchmarks.Protocol;

/// <summary>
/// The 0.8 JSON write parser on the load generator's body shape: 1,000 series × 5 points of a two-decimal float,
/// times in seconds (5,000 points, ~150 KB). Points/s = 5,000 / the mean; allocated bytes / 5,000 = bytes per point.
/// <see cref="Read"/> fills one reused batch, as the server does with its pooled batches (WriteBatchPool);
/// <see cref="ReadIntoNewBatch"/> builds a fresh batch each time, as the UDP input does; <see cref="ReadThroughCells"/>
/// reads the plain body in two steps (cells, then conversion), as one whose series list points before columns is read;
/// <see cref="ReadWithUtf8JsonReader"/> skips the plain-body scanner, as a body outside its subset is read.
/// </summary>
[MemoryDiagnoser]
public class SeriesJsonReaderBenchmarks
{
    private byte[] _body = [];
    private readonly WriteBatch _batch = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var body = new StringBuilder("[");
        for (var s = 0; s < 1_000; s++)
        {
            body.Append(s == 0 ? string.Empty : ",").Append("{\"name\":\"cpu.host").Append(s).Append("\",\"columns\":[\"time\",\"c0\"],\"points\":[");
            for (var k = 0; k < 5; k++)
            {
                var value = Math.Round(50 + (random.NextDouble() * 10), 2);
                body.Append(k == 0 ? "[" : ",[").Append(1_577_836_800 + (k * 10)).Append(',').Append(value.ToString("0.00", CultureInfo.InvariantCulture)).Append(']');
            }

            body.Append("]}");
        }

        _body = Encoding.UTF8.GetBytes(body.Append(']').ToString());
    }

    [Benchmark]
    public int Read()
    {
        SeriesJsonReader.Read(_body, TimePrecision.Seconds, _batch);
        return _batch.PointCount;
    }

    [Benchmark]
    public int ReadThroughCells()
    {
        SeriesJsonReader.Read(_body, TimePrecision.Seconds, _batch, SeriesJsonReader.ReadPath.PlainCells);
        return _batch.PointCount;
    }

    [Benchmark]
    public int ReadWithUtf8JsonReader()
    {
        SeriesJsonReader.Read(_body, TimePrecision.Seconds, _batch, SeriesJsonReader.ReadPath.Utf8JsonReader);
        return _batch.PointCount;
    }

    [Benchmark]
    public int ReadIntoNewBatch() => SeriesJsonReader.Read(_body, TimePrecision.Seconds).PointCount;
}
