using BenchmarkDotNet.Attributes;
using Strata.Core;
using Strata.Storage;
using Strata.Storage.Segments;

namespace Strata.Benchmarks.Storage;

/// <summary>
/// What a flush pays for workload W's shape: one segment of 200 series × 8,192 points (1.64 M points) of a
/// two-decimal walk at 10 s spacing, written 5 points per series a request as W's 4 writers send them, so every
/// series has the same times and sequence numbers that differ by a constant. <see cref="Write"/> encodes every
/// column, writes the file, fsyncs it and renames it into place; points/s = 1,638,400 / the mean. The segment's
/// size is printed once, in bytes a point.
/// </summary>
[MemoryDiagnoser]
public class SegmentWriterBenchmarks
{
    private const int Series = 200;
    private const int Points = 8_192;
    private const int PerRequest = 5;

    private readonly List<ColumnData> _columns = [];
    private string _directory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "strata-segment-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var random = new Random(42);
        for (var s = 0; s < Series; s++)
        {
            var column = new ColumnData(Points);
            var value = 50.0;
            for (var i = 0; i < Points; i++)
            {
                // Request r holds points [5r, 5r + 5) of every series, numbered series by series.
                var counter = ((long)(i / PerRequest) * Series * PerRequest) + (s * PerRequest) + (i % PerRequest) + 1;
                value = Math.Round(value + ((random.NextDouble() * 2) - 1), 2) + 0.0;
                column.Add(1_577_836_800_000_000 + (i * 10_000_000L), (counter * 10_000) + 1, FieldValue.FromDouble(value));
            }

            _columns.Add(column);
        }

        var size = new FileInfo(Write()).Length;
        Console.WriteLine($"// segment: {size:N0} bytes, {size / (double)(Series * Points):0.0000} bytes a point");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public string Write()
    {
        var path = Path.Combine(_directory, SegmentFormat.FileName(1));
        using var writer = new SegmentWriter(path);
        for (var s = 0; s < _columns.Count; s++)
        {
            writer.AddColumn((uint)s + 1, "c0", _columns[s]);
        }

        writer.Finish();
        return path;
    }
}
