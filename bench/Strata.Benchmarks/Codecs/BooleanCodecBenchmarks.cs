using System.Buffers;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Segments.Codecs;

namespace Strata.Benchmarks.Codecs;

/// <summary>Encode and decode of 1,000 booleans; values per second = 1,000 / mean.</summary>
[MemoryDiagnoser]
public class BooleanCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly bool[] _decoded = new bool[CodecWorkloads.Count];
    private bool[] _values = [];
    private byte[] _encoded = [];

    [Params("random")]
    public string Workload { get; set; } = "random";

    [GlobalSetup]
    public void Setup()
    {
        _values = CodecWorkloads.RandomBools();
        Encode();
        _encoded = _output.WrittenSpan.ToArray();
        Console.WriteLine($"// {nameof(BooleanCodec)} {Workload}: {_encoded.Length} bytes for {CodecWorkloads.Count} values");
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        BooleanCodec.Encode(_values, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public bool Decode()
    {
        BooleanCodec.Decode(_encoded, _decoded);
        return _decoded[^1];
    }
}
