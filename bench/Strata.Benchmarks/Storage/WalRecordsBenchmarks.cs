using System.Buffers;
using BenchmarkDotNet.Attributes;
using Strata.Core;
using Strata.Storage.Wal;

namespace Strata.Benchmarks.Storage;

/// <summary>
/// A WAL write record of one request of workload W (1,000 series × 5 points of a two-decimal float at 10 s spacing,
/// sequence numbers as the server assigns them): <see cref="Encode"/> is what every acknowledged write pays before
/// the group commit, <see cref="Decode"/> what replay pays a record. Points/s = 5,000 / the mean; allocated bytes /
/// 5,000 = bytes per point (the encoder writes into a reused buffer, the decoder into a reused batch as replay does).
/// </summary>
[MemoryDiagnoser]
public class WalRecordsBenchmarks
{
    private readonly WriteBatch _batch = new();
    private readonly WriteBatch _decoded = new();
    private readonly NameInterner _names = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private byte[] _record = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        long counter = 0;
        for (var s = 0; s < 1_000; s++)
        {
            var points = new SeriesPoints("cpu.host" + s, ["c0"]);
            var value = 50.0;
            for (var k = 0; k < 5; k++)
            {
                value = Math.Round(value + ((random.NextDouble() * 2) - 1), 2) + 0.0;
                points.Times.Add(1_577_836_800_000_000 + (k * 10_000_000L));
                points.Seqs.Add((++counter * 10_000) + 1);
                points.ClientSeq.Add(false);
                points.Values.Add(FieldValue.FromDouble(value));
            }

            _batch.Series.Add(points);
        }

        WalRecords.WriteWrite(1, counter, _batch, _buffer);
        _record = _buffer.WrittenSpan.ToArray();
        Console.WriteLine($"// record: {_record.Length} bytes, {_record.Length / 5_000.0:0.0} bytes a point");
    }

    [Benchmark]
    public int Encode()
    {
        _buffer.ResetWrittenCount();
        WalRecords.WriteWrite(1, 5_000, _batch, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int Decode()
    {
        WalRecords.ReadWrite(_record, _decoded, _names);
        return _decoded.PointCount;
    }
}
