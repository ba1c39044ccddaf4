using System.Buffers;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Segments.Codecs;

namespace Strata.Benchmarks.Codecs;

/// <summary>Encode and decode of 1,000 timestamps or sequence numbers; values per second = 1,000 / mean.</summary>
[MemoryDiagnoser]
public class TimestampCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly long[] _decoded = new long[CodecWorkloads.Count];
    private long[] _values = [];
    private byte[] _encoded = [];

    [Params("regular-10s", "jittered", "interleaved-seqs")]
    public string Workload { get; set; } = "regular-10s";

    [GlobalSetup]
    public void Setup()
    {
        _values = Workload switch
        {
            "jittered" => CodecWorkloads.JitteredTimestamps(),
            "interleaved-seqs" => CodecWorkloads.InterleavedSequenceNumbers(),
            _ => CodecWorkloads.RegularTimestamps(),
        };
        Encode();
        _encoded = _output.WrittenSpan.ToArray();
        Console.WriteLine($"// {nameof(TimestampCodec)} {Workload}: {_encoded.Length} bytes for {CodecWorkloads.Count} values");
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        TimestampCodec.Encode(_values, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public long Decode()
    {
        TimestampCodec.Decode(_encoded, _decoded);
        return _decoded[^1];
    }
}
