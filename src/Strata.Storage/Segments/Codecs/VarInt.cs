using System.Numerics;
using System.Runtime.CompilerServices;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Unsigned LEB128 varints (7 bits per byte, low group first, high bit = more bytes follow) and
/// zigzag mapping of signed values (0, -1, 1, -2, … → 0, 1, 2, 3, …) so small magnitudes stay short.
/// </summary>
internal static class VarInt
{
    public const int MaxLength = 10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Bytes <see cref="Write"/> uses for <paramref name="value"/>: 1 for 0..127, 10 for values of 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(ulong value) => ((64 - BitOperations.LeadingZeroCount(value | 1)) + 6) / 7;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint at <paramref name="position"/> and moves past it; a truncated or over-long varint is corrupt data.</summary>
    public static ulong Read(ReadOnlySpan<byte> source, ref int position, string codec)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if ((uint)position >= (uint)source.Length)
            {
                CodecErrors.ThrowCorrupt(codec, "truncated varint");
            }

            var b = source[position++];
            if (shift == 63 && b > 1)
            {
                CodecErrors.ThrowCorrupt(codec, "varint overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
        }
    }

    /// <summary>Reads a varint that must not exceed <paramref name="max"/> (a count or a length).</summary>
    public static int ReadBounded(ReadOnlySpan<byte> source, ref int position, int max, string codec, string what)
    {
        var value = Read(source, ref position, codec);
        if (value > (ulong)max)
        {
            CodecErrors.ThrowCorrupt(codec, what);
        }

        return (int)value;
    }
}
