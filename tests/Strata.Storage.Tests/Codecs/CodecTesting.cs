using System.Buffers;
using CsCheck;

namespace Strata.Storage.Tests.Codecs;

internal delegate void SpanEncoder<T>(ReadOnlySpan<T> values, IBufferWriter<byte> output);

internal delegate void SpanDecoder<T>(ReadOnlySpan<byte> encoded, Span<T> destination);

/// <summary>Round-trip, truncation and garbage helpers shared by the codec tests.</summary>
internal static class CodecTesting
{
    /// <summary>Encodes through a writer whose spans are exactly the size asked for, so a codec that writes past its own bound fails.</summary>
    public static byte[] Encode<T>(SpanEncoder<T> encode, T[] values)
    {
        var output = new ExactBufferWriter();
        encode(values, output);
        return output.WrittenBytes;
    }

    public static T[] Decode<T>(SpanDecoder<T> decode, byte[] encoded, int count)
    {
        var destination = new T[count];
        decode(encoded, destination);
        return destination;
    }

    public static long[] Bits(double[] values)
    {
        var bits = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.DoubleToInt64Bits(values[i]);
        }

        return bits;
    }

    /// <summary>Every strict prefix of a valid encoding is rejected as corrupt (at most 200 prefixes, the short ones and a spread of the rest).</summary>
    public static void AssertTruncationsThrow<T>(SpanDecoder<T> decode, byte[] encoded, int count)
    {
        var step = Math.Max(1, encoded.Length / 100);
        for (var length = 0; length < encoded.Length; length += length < 100 ? 1 : step)
        {
            var prefix = encoded[..length];
            var exception = Should.Throw<InvalidDataException>(() => decode(prefix, new T[count]), $"prefix of {length} of {encoded.Length} bytes");
            exception.Message.ShouldStartWith("cannot decode ");
        }

        if (encoded.Length > 0)
        {
            var last = encoded[..^1];
            Should.Throw<InvalidDataException>(() => decode(last, new T[count]));
        }
    }

    /// <summary>Garbage either decodes or is rejected with <see cref="InvalidDataException"/>; anything else fails the test.</summary>
    public static void AssertGarbageDecodesOrThrowsInvalidData<T>(SpanDecoder<T> decode, byte[] garbage, int count)
    {
        try
        {
            decode(garbage, new T[count]);
        }
        catch (InvalidDataException)
        {
        }
    }

    /// <summary>Random bytes of random length with a random value count, including counts far too large for the bytes.</summary>
    public static readonly Gen<(byte[] Bytes, int Count)> Garbage =
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Frequency((4, Gen.Int[0, 2000]), (1, Gen.Const(65_535))));

    /// <summary>A valid encoding with some bytes overwritten, run through the decoder with its original count.</summary>
    public static void AssertCorruptionDecodesOrThrowsInvalidData<T>(SpanDecoder<T> decode, byte[] encoded, int count, int seed)
    {
        if (encoded.Length == 0)
        {
            return;
        }

        var random = new Random(seed);
        var corrupt = (byte[])encoded.Clone();
        var flips = 1 + random.Next(3);
        for (var i = 0; i < flips; i++)
        {
            corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
        }

        AssertGarbageDecodesOrThrowsInvalidData(decode, corrupt, count);
        AssertGarbageDecodesOrThrowsInvalidData(decode, corrupt, random.Next(2001));
    }

    private sealed class ExactBufferWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public byte[] WrittenBytes => [.. _written];

        public void Advance(int count)
        {
            count.ShouldBeInRange(0, _current.Length);
            _written.AddRange(_current.AsSpan(0, count));
            _current = [];
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];
    }
}
