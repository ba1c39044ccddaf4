using System.Buffers;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Segments.Codecs;

namespace Strata.Benchmarks.Codecs;

/// <summary>Encode and decode of 1,000 two-decimal doubles with the decimal codec alone; values per second = 1,000 / mean.</summary>
[MemoryDiagnoser]
public class DecimalFloatCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly double[] _decoded = new double[CodecWorkloads.Count];
    private double[] _values = [];
    private byte[] _encoded = [];

    [Params("walk-2-decimals")]
    public string Workload { get; set; } = "walk-2-decimals";

    [GlobalSetup]
    public void Setup()
    {
        _values = CodecWorkloads.TwoDecimalWalk();
        Encode();
        _encoded = _output.WrittenSpan.ToArray();
        Console.WriteLine($"// {nameof(DecimalFloatCodec)} {Workload}: {_encoded.Length} bytes for {CodecWorkloads.Count} values");
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        DecimalFloatCodec.TryEncode(_values, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public double Decode()
    {
        DecimalFloatCodec.Decode(_encoded, _decoded);
        return _decoded[^1];
    }
}
