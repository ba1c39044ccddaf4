using System.Buffers;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Segments.Codecs;

namespace Strata.Benchmarks.Codecs;

/// <summary>Encode and decode of 1,000 strings (decode allocates the strings themselves); values per second = 1,000 / mean.</summary>
[MemoryDiagnoser]
public class StringCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly string[] _decoded = new string[CodecWorkloads.Count];
    private string[] _values = [];
    private byte[] _encoded = [];

    [Params("repetitive", "random")]
    public string Workload { get; set; } = "repetitive";

    [GlobalSetup]
    public void Setup()
    {
        _values = Workload == "random" ? CodecWorkloads.RandomStrings() : CodecWorkloads.RepetitiveStrings();
        Encode();
        _encoded = _output.WrittenSpan.ToArray();
        Console.WriteLine($"// {nameof(StringCodec)} {Workload}: {_encoded.Length} bytes for {CodecWorkloads.Count} values");
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        StringCodec.Encode(_values, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public string Decode()
    {
        StringCodec.Decode(_encoded, _decoded);
        return _decoded[^1];
    }
}
