using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Doubles that are all exactly k / 10^d for one scale d in 0..9 (prices, sensor readings with a
/// fixed number of decimals) stored as the int64 numerators through <see cref="IntegerCodec"/>:
/// a random walk with 2 decimals and steps below ±1.00 costs about one byte per value, against
/// 5–7 for Gorilla. Decoding divides k by 10^d, which IEEE 754 rounds correctly, so a value
/// parsed from "52.31" comes back bit-identical. <see cref="TryEncode(ReadOnlySpan{double}, IBufferWriter{byte})"/>
/// checks every value with exactly that division and refuses the block otherwise (NaN, infinities,
/// |k| above 2^53, more than 9 decimals, more than one -0.0 in 16 values). A -0.0 — what a walk
/// that crosses zero writes as "-0.00" — is stored as k = 0 with its position listed after the scale.
/// <code>
/// +---------------------+-----------------------------------+------------------------------------------+
/// | scale d | 0x80 if z | z > 0: count z, z position gaps   | IntegerCodec block of the numerators k   |
/// | u8                  | varints                           |                                          |
/// +---------------------+-----------------------------------+------------------------------------------+
/// </code>
/// Layout: docs/format/codecs.md, section "DecimalFloatCodec".
/// </summary>
public static class DecimalFloatCodec
{
    private const string Name = "decimal float";

    /// <summary>The largest scale d: values with more decimals go to Gorilla.</summary>
    public const int MaxScale = 9;

    /// <summary>2^53: numerators up to this magnitude convert to double exactly.</summary>
    private const long MaxNumerator = 1L << 53;

    /// <summary>Flag in the scale byte: the positions of negative zeros follow it.</summary>
    private const byte NegativeZerosFlag = 0x80;

    private const long NegativeZeroBits = unchecked((long)0x8000_0000_0000_0000);

    private static ReadOnlySpan<double> Powers => [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    /// <summary>Upper bound of the encoded size of <paramref name="count"/> values, with the bit writer's slack.</summary>
    internal static int MaxEncodedLength(int count) =>
        count == 0 ? 0 : 1 + ((1 + MaxNegativeZeros(count)) * VarInt.MaxLength) + IntegerCodec.MaxEncodedLength(count);

    /// <summary>The most negative zeros a block lists; a block with more goes to Gorilla, which stores them in a bit or two.</summary>
    private static int MaxNegativeZeros(int count) => count >> 4;

    /// <summary>Encodes the block and returns true, or writes nothing and returns false when a value is not k / 10^d exactly.</summary>
    public static bool TryEncode(ReadOnlySpan<double> values, IBufferWriter<byte> output)
    {
        if (values.Length > CodecErrors.MaxValues)
        {
            CodecErrors.ThrowTooManyValues(values.Length);
        }

        var written = TryEncode(values, output.GetSpan(MaxEncodedLength(values.Length)));
        if (written < 0)
        {
            return false;
        }

        output.Advance(written);
        return true;
    }

    /// <summary>Encodes into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/> bytes) and returns the bytes used, or -1.</summary>
    internal static int TryEncode(ReadOnlySpan<double> values, Span<byte> destination)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var numerators = ArrayPool<long>.Shared.Rent(values.Length);
        try
        {
            var scale = FindScale(values, numerators.AsSpan(0, values.Length), out var negativeZeros);
            if (scale < 0 || negativeZeros > MaxNegativeZeros(values.Length))
            {
                return -1;
            }

            var written = 1;
            destination[0] = (byte)scale;
            if (negativeZeros > 0)
            {
                destination[0] |= NegativeZerosFlag;
                written += VarInt.Write(destination[written..], (ulong)negativeZeros);
                var previous = -1;
                for (var i = 0; i < values.Length; i++)
                {
                    if (BitConverter.DoubleToInt64Bits(values[i]) == NegativeZeroBits)
                    {
                        written += VarInt.Write(destination[written..], (ulong)(i - previous - 1));
                        previous = i;
                    }
                }
            }

            return written + IntegerCodec.Encode(numerators.AsSpan(0, values.Length), destination[written..]);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(numerators);
        }
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

        if (encoded.Length == 0)
        {
            CodecErrors.ThrowCorrupt(Name, "no data");
        }

        var scale = encoded[0] & ~NegativeZerosFlag;
        if (scale > MaxScale)
        {
            CodecErrors.ThrowCorrupt(Name, "scale above 9");
        }

        // Negative zeros: their positions are checked here and applied once the numerators are converted.
        var position = 1;
        var negativeZeros = 0;
        if ((encoded[0] & NegativeZerosFlag) != 0)
        {
            negativeZeros = VarInt.ReadBounded(encoded, ref position, destination.Length, Name, "more negative zeros than values");
            if (negativeZeros == 0)
            {
                CodecErrors.ThrowCorrupt(Name, "empty list of negative zeros");
            }

            var last = -1L;
            for (var z = 0; z < negativeZeros; z++)
            {
                last += 1 + (long)Math.Min(VarInt.Read(encoded, ref position, Name), (ulong)destination.Length);
                if (last >= destination.Length)
                {
                    CodecErrors.ThrowCorrupt(Name, "negative zero position out of range");
                }
            }
        }

        // The numerators are decoded in place, then each slot is converted from k to k / 10^d.
        var numerators = MemoryMarshal.Cast<double, long>(destination);
        IntegerCodec.Decode(encoded[position..], numerators, Name);
        var power = Powers[scale];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The same correctly rounded conversion and division as the scalar loop, a vector at a time, in place.
            ref var slots = ref MemoryMarshal.GetReference(numerators);
            var powers = new Vector<double>(power);
            var offset = new Vector<long>(MaxNumerator);
            var bound = new Vector<ulong>(2 * (ulong)MaxNumerator);
            var outside = Vector<ulong>.Zero;
            for (; i <= numerators.Length - Vector<long>.Count; i += Vector<long>.Count)
            {
                var k = Vector.LoadUnsafe(ref slots, (nuint)i);
                outside |= Vector.GreaterThan(Vector.AsVectorUInt64(k + offset), bound);
                Vector.StoreUnsafe(Vector.AsVectorInt64(Vector.ConvertToDouble(k) / powers), ref slots, (nuint)i);
            }

            if (outside != Vector<ulong>.Zero)
            {
                CodecErrors.ThrowCorrupt(Name, "numerator above 2^53");
            }
        }

        for (; i < numerators.Length; i++)
        {
            var k = numerators[i];
            if ((ulong)(k + MaxNumerator) > 2 * (ulong)MaxNumerator)
            {
                CodecErrors.ThrowCorrupt(Name, "numerator above 2^53");
            }

            destination[i] = k / power;
        }

        if (negativeZeros > 0)
        {
            ApplyNegativeZeros(encoded, negativeZeros, destination);
        }
    }

    /// <summary>Turns the listed zeros (already checked to be in range) into -0.0; a listed value that is not 0 is corrupt.</summary>
    private static void ApplyNegativeZeros(ReadOnlySpan<byte> encoded, int count, Span<double> destination)
    {
        var position = 1;
        VarInt.Read(encoded, ref position, Name);
        var index = -1L;
        for (var z = 0; z < count; z++)
        {
            index += 1 + (long)VarInt.Read(encoded, ref position, Name);
            ref var slot = ref destination[(int)index];
            if (BitConverter.DoubleToInt64Bits(slot) != 0)
            {
                CodecErrors.ThrowCorrupt(Name, "a negative zero whose numerator is not 0");
            }

            slot = -0.0;
        }
    }

    /// <summary>
    /// The smallest scale at which every value is exact, with the numerators filled in (0 for -0.0, counted in
    /// <paramref name="negativeZeros"/>); -1 if none.
    /// </summary>
    private static int FindScale(ReadOnlySpan<double> values, Span<long> numerators, out int negativeZeros)
    {
        var scale = 0;
        var power = 1.0;
        negativeZeros = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (TryScale(values[i], power, out numerators[i]))
            {
                continue;
            }

            if (BitConverter.DoubleToInt64Bits(values[i]) == NegativeZeroBits)
            {
                numerators[i] = 0;
                negativeZeros++;
                continue;
            }

            do
            {
                if (++scale > MaxScale)
                {
                    return -1;
                }

                power = Powers[scale];
            }
            while (!TryScale(values[i], power, out numerators[i]));

            // Values before i were exact at a smaller scale; check them again at this one (at most 9 restarts).
            i = -1;
            negativeZeros = 0;
        }

        return scale;
    }

    /// <summary>10^<paramref name="scale"/> for a scale in 0 … <see cref="MaxScale"/>.</summary>
    internal static double Power(int scale) => Powers[scale];

    /// <summary>
    /// The numerator k with k / 10^<paramref name="scale"/> bit-identical to <paramref name="value"/>, if there is one
    /// of at most 2^53 in magnitude (never for -0.0, NaN or infinities).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryScale(double value, int scale, out long numerator) => TryScale(value, Powers[scale], out numerator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryScale(double value, double power, out long numerator)
    {
        var scaled = Math.Round(value * power);
        numerator = (long)scaled;
        return Math.Abs(scaled) <= MaxNumerator
            && BitConverter.DoubleToInt64Bits(numerator / power) == BitConverter.DoubleToInt64Bits(value);
    }
}
