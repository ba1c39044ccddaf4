using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Facebook Gorilla XOR encoding of doubles (Pelkonen et al., VLDB 2015, section 4.1.2), on the raw
/// IEEE 754 bits so NaN payloads, -0.0, infinities and subnormals round-trip bit for bit. Bits are
/// written least significant first (<see cref="BitWriter"/>):
/// <code>
/// first value: 64 bits raw
/// then per value, x = bits(v) XOR bits(previous):
///   x == 0                       '0'
///   x fits the previous window   '1' '0'  meaningful bits (previous length)
///   otherwise                    '1' '1'  leading zeros (5 bits, at most 31)  length (6 bits, 64 as 0)  meaningful bits
/// </code>
/// Layout: docs/format/codecs.md, section "GorillaFloatCodec".
/// </summary>
public static class GorillaFloatCodec
{
    private const string Name = "gorilla float";

    /// <summary>Upper bound of the encoded size: 64 bits, then at most 2 + 11 + 64 bits per value, plus the bit writer's slack.</summary>
    internal static int MaxEncodedLength(int count) =>
        count == 0 ? 0 : 8 + (int)((((long)(count - 1) * 77) + 7) >> 3) + BitWriter.Slack;

    public static void Encode(ReadOnlySpan<double> values, IBufferWriter<byte> output)
    {
        if (values.Length > CodecErrors.MaxValues)
        {
            CodecErrors.ThrowTooManyValues(values.Length);
        }

        var written = Encode(values, output.GetSpan(MaxEncodedLength(values.Length)));
        output.Advance(written);
    }

    /// <summary>Encodes into <paramref name="destination"/>, which holds at least <see cref="MaxEncodedLength"/> bytes; returns the bytes used.</summary>
    internal static int Encode(ReadOnlySpan<double> values, Span<byte> destination)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sink = new WriterSink(new BitWriter(destination));
        Run(values, ref sink);
        return sink.Writer.BytesWritten;
    }

    /// <summary>
    /// True when the Gorilla encoding of <paramref name="values"/> is shorter than <paramref name="bytes"/>.
    /// Only counts bits and stops as soon as the limit is passed, so losing costs a fraction of an encode.
    /// </summary>
    internal static bool IsShorterThan(ReadOnlySpan<double> values, int bytes)
    {
        if (values.Length == 0)
        {
            return bytes > 0;
        }

        var sink = new CountingSink((bytes - 1L) * 8);
        return Run(values, ref sink);
    }

    public static void Decode(ReadOnlySpan<byte> encoded, Span<double> destination)
    {
        if (destination.Length == 0)
        {
            if (encoded.Length != 0)
            {
                CodecErrors.ThrowCorrupt(Name, "bytes in an empty block");
            }

            return;
        }

        var reader = new BitReader(encoded, Name);
        var previous = reader.Read(64);
        destination[0] = BitConverter.UInt64BitsToDouble(previous);
        var leading = 0;
        var length = 0;  // 0 until the first window is read
        for (var i = 1; i < destination.Length; i++)
        {
            if (reader.ReadBit())
            {
                if (reader.ReadBit())
                {
                    var header = (int)reader.Read(11);
                    leading = header & 31;
                    length = header >> 5;
                    if (length == 0)
                    {
                        length = 64;
                    }

                    if (leading + length > 64)
                    {
                        CodecErrors.ThrowCorrupt(Name, "XOR window wider than 64 bits");
                    }
                }
                else if (length == 0)
                {
                    CodecErrors.ThrowCorrupt(Name, "reuse of a XOR window before the first one");
                }

                previous ^= reader.Read(length) << (64 - leading - length);
            }

            destination[i] = BitConverter.UInt64BitsToDouble(previous);
        }

        reader.ExpectEnd();
    }

    /// <summary>The encoding, written once for both sinks; returns false when the sink asks to stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Run<TSink>(ReadOnlySpan<double> values, ref TSink sink)
        where TSink : IBitSink, allows ref struct
    {
        var previous = BitConverter.DoubleToUInt64Bits(values[0]);
        sink.Write(previous, 64);
        var windowLeading = 64;  // no window yet: nothing fits it
        var windowTrailing = 64;
        var windowLength = 0;
        for (var i = 1; i < values.Length; i++)
        {
            var current = BitConverter.DoubleToUInt64Bits(values[i]);
            var xor = current ^ previous;
            previous = current;
            if (xor == 0)
            {
                sink.Write(0, 1);
            }
            else
            {
                var leading = Math.Min(BitOperations.LeadingZeroCount(xor), 31);
                var trailing = BitOperations.TrailingZeroCount(xor);
                if (leading >= windowLeading && trailing >= windowTrailing)
                {
                    sink.Write(0b01, 2);
                    sink.Write(xor >> windowTrailing, windowLength);
                }
                else
                {
                    var length = 64 - leading - trailing;
                    sink.Write(0b11 | ((ulong)leading << 2) | ((ulong)(length & 63) << 7), 13);
                    sink.Write(xor >> trailing, length);
                    windowLeading = leading;
                    windowTrailing = trailing;
                    windowLength = length;
                }
            }

            if (sink.IsFull)
            {
                return false;
            }
        }

        return !sink.IsFull;
    }

    private interface IBitSink
    {
        bool IsFull { get; }

        void Write(ulong value, int width);
    }

    private ref struct WriterSink(BitWriter writer) : IBitSink
    {
        public BitWriter Writer = writer;

        public readonly bool IsFull => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(ulong value, int width) => Writer.Write(value, width);
    }

    private struct CountingSink(long limitBits) : IBitSink
    {
        private long _bits;

        public readonly bool IsFull => _bits > limitBits;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(ulong value, int width) => _bits += width;
    }
}
