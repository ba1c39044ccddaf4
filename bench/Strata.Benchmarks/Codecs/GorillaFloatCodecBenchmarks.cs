using System.Buffers;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Segments.Codecs;

namespace Strata.Benchmarks.Codecs;

/// <summary>Encode and decode of 1,000 doubles with Gorilla alone; values per second = 1,000 / mean.</summary>
[MemoryDiagnoser]
public class GorillaFloatCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly double[] _decoded = new double[CodecWorkloads.Count];
    private double[] _values = [];
    private byte[] _encoded = [];

    [Params("walk-2-decimals", "random")]
    public string Workload { get; set; } = "random";

    [GlobalSetup]
    public void Setup()
    {
        _values = Workload == "random" ? CodecWorkloads.RandomDoubles() : CodecWorkloads.TwoDecimalWalk();
        Encode();
        _encoded = _output.WrittenSpan.ToArray();
        Console.WriteLine($"// {nameof(GorillaFloatCodec)} {Workload}: {_encoded.Length} bytes for {CodecWorkloads.Count} values");
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        GorillaFloatCodec.Encode(_values, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public double Decode()
    {
        GorillaFloatCodec.Decode(_encoded, _decoded);
        return _decoded[^1];
    }
}
