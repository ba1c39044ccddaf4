using System.Buffers;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Segments.Codecs;

namespace Strata.Benchmarks.Codecs;

/// <summary>Encode and decode of 1,000 int64 values; values per second = 1,000 / mean.</summary>
[MemoryDiagnoser]
public class IntegerCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly long[] _decoded = new long[CodecWorkloads.Count];
    private long[] _values = [];
    private byte[] _encoded = [];

    [Params("counter", "random")]
    public string Workload { get; set; } = "counter";

    [GlobalSetup]
    public void Setup()
    {
        _values = Workload == "random" ? CodecWorkloads.RandomIntegers() : CodecWorkloads.Counter();
        Encode();
        _encoded = _output.WrittenSpan.ToArray();
        Console.WriteLine($"// {nameof(IntegerCodec)} {Workload}: {_encoded.Length} bytes for {CodecWorkloads.Count} values");
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        IntegerCodec.Encode(_values, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public long Decode()
    {
        IntegerCodec.Decode(_encoded, _decoded);
        return _decoded[^1];
    }
}
