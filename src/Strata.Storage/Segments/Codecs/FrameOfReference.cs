using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// The shared core of <see cref="IntegerCodec"/> and <see cref="TimestampCodec"/>: patched
/// frame-of-reference bit packing of the order-k differences ("residuals") of an int64 sequence
/// (order 0: the values, 1: deltas, 2: delta-of-deltas), all in wrap-around arithmetic so any
/// sequence round-trips. Layout in docs/format/codecs.md, section "Packed residuals":
/// <code>
/// +-------------------+-----------+-------+---------+---------------------------+--------------------------+
/// | leading values    | base      | width | patches | packed offsets            | patches                  |
/// | order × varint zz | varint zz | u8    | varint  | (n - order) × width bits  | (gap, high zz) × varint  |
/// +-------------------+-----------+-------+---------+---------------------------+--------------------------+
/// </code>
/// Each residual r is stored as the offset u = r - base (mod 2^64) in <c>width</c> bits. An offset
/// that does not fit keeps its low bits in the packed area and its high bits, taken as a signed
/// number (<c>(long)u &gt;&gt; width</c>), in a patch; so rare outliers on either side of the bulk
/// (a late timestamp, a spike) cost a patch each instead of widening the whole block. Base and
/// width are chosen per block to minimise the size: the base is the minimum or a low quantile.
/// </summary>
internal static partial class FrameOfReference
{
    public const int MaxOrder = 2;

    /// <summary>Bytes <see cref="Encode"/> may touch for <paramref name="count"/> values, slack included.</summary>
    public static int MaxEncodedLength(int count) =>
        (MaxOrder * VarInt.MaxLength) + VarInt.MaxLength + 1 + 5 + (8 * count) + 1 + BitWriter.Slack;

    /// <summary>How one block's residuals are packed, and its size in bits (an upper bound for the patches).</summary>
    public readonly record struct Plan(int Order, long Base, int Width, int Exceptions, long Bits);

    /// <summary>Writes the leading values and, when there are more values than the order, the packed residuals; returns the bytes used.</summary>
    public static int Encode(ReadOnlySpan<long> values, in Plan plan, Span<byte> destination) => plan.Order switch
    {
        0 => Encode<Order0>(values, plan, destination),
        1 => Encode<Order1>(values, plan, destination),
        2 => Encode<Order2>(values, plan, destination),
        _ => throw new ArgumentOutOfRangeException(nameof(plan)),
    };

    /// <summary>Reads what <see cref="Encode"/> wrote for <c>destination.Length</c> values, starting at <paramref name="position"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> source, ref int position, Span<long> destination, int order, string codec)
    {
        var n = destination.Length;
        var leading = Math.Min(order, n);
        for (var i = 0; i < leading; i++)
        {
            destination[i] = VarInt.UnZigZag(VarInt.Read(source, ref position, codec));
        }

        if (n <= order)
        {
            ReconstructLeading(destination[..leading]);
            return;
        }

        var m = n - order;
        var @base = VarInt.UnZigZag(VarInt.Read(source, ref position, codec));
        if ((uint)position >= (uint)source.Length)
        {
            CodecErrors.ThrowCorrupt(codec, "truncated packing header");
        }

        int width = source[position++];
        if (width > 64)
        {
            CodecErrors.ThrowCorrupt(codec, "bit width above 64");
        }

        var exceptions = VarInt.ReadBounded(source, ref position, width == 64 ? 0 : m, codec, "more patches than values");
        var packedBytes = (((long)m * width) + 7) >> 3;
        if (packedBytes > source.Length - position)
        {
            CodecErrors.ThrowCorrupt(codec, "truncated packed values");
        }

        var offsets = destination[order..];
        if (width == 0 && exceptions == 0)
        {
            // Every residual is the base (a constant interval, a steady counter): no offsets to read or add.
            ReconstructConstant(destination, order, @base);
            return;
        }

        if (width == 0)
        {
            offsets.Clear();
        }
        else
        {
            Unpack(source.Slice(position, (int)packedBytes), width, offsets, codec);
            position += (int)packedBytes;
        }

        var index = -1;
        for (var e = 0; e < exceptions; e++)
        {
            var gap = VarInt.Read(source, ref position, codec);
            if (gap >= (ulong)(m - 1 - index))
            {
                CodecErrors.ThrowCorrupt(codec, "patch position out of range");
            }

            index += 1 + (int)gap;
            var high = VarInt.UnZigZag(VarInt.Read(source, ref position, codec));
            if (high == 0 || ((high << width) >> width) != high)
            {
                CodecErrors.ThrowCorrupt(codec, "patch does not fit 64 bits");
            }

            offsets[index] |= high << width;
        }

        Reconstruct(destination, order, @base);
    }

    /// <summary>
    /// Reads <c>destination.Length</c> fields of <paramref name="width"/> bits from <paramref name="packed"/>, which
    /// holds exactly their bytes (the last one zero-padded). Up to 56 bits each field is one unaligned 8-byte load, a
    /// shift and a mask, independent of the others, while at least 8 bytes remain; the last few go through
    /// <see cref="BitReader"/>, which also checks the padding.
    /// </summary>
    private static void Unpack(ReadOnlySpan<byte> packed, int width, Span<long> destination, string codec)
    {
        var n = destination.Length;
        var i = 0;
        if (width <= 56 && packed.Length >= 8)
        {
            // Field i starts at byte (i * width) >> 3; the load is safe while that is at most Length - 8.
            var fast = (int)Math.Min(n, ((((long)packed.Length - 7) << 3) + width - 1) / width);
            var mask = (1UL << width) - 1;
            ref var source = ref MemoryMarshal.GetReference(packed);
            ref var target = ref MemoryMarshal.GetReference(destination);
            var bit = 0L;
            for (; i < fast; i++, bit += width)
            {
                var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, (nint)(bit >> 3)));
                if (!BitConverter.IsLittleEndian)
                {
                    word = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(word);
                }

                Unsafe.Add(ref target, i) = (long)((word >> (int)(bit & 7)) & mask);
            }
        }

        var start = (long)i * width;
        var reader = new BitReader(packed[(int)(start >> 3)..], codec);
        reader.Read((int)(start & 7));
        for (; i < n; i++)
        {
            destination[i] = (long)reader.Read(width);
        }

        reader.ExpectEnd();
    }

    private static void ReconstructLeading(Span<long> values)
    {
        // Leading values are v0 then (for order 2) the first delta.
        if (values.Length == 2)
        {
            values[1] = unchecked(values[0] + values[1]);
        }
    }

    /// <summary>
    /// <see cref="Reconstruct"/> when every residual equals <paramref name="base"/>: order 0 is a constant, order 1 an
    /// arithmetic sequence and order 2 one too when the base is 0, filled a vector at a time (each lane is
    /// start + index × step, in wrap-around arithmetic like the running sums).
    /// </summary>
    private static void ReconstructConstant(Span<long> values, int order, long @base)
    {
        unchecked
        {
            long start, step;
            switch (order)
            {
                case 0:
                    values.Fill(@base);
                    return;
                case 1:
                    (start, step) = (values[0], @base);
                    break;
                default:
                    if (@base != 0)
                    {
                        values[order..].Fill(@base);
                        Reconstruct(values, order, 0);
                        return;
                    }

                    (start, step) = (values[0], values[1]);
                    break;
            }

            var i = 0;
            if (Vector.IsHardwareAccelerated && values.Length >= Vector<long>.Count)
            {
                ref var target = ref MemoryMarshal.GetReference(values);
                var lanes = new Vector<long>(start) + (Vector<long>.Indices * step);
                var stride = new Vector<long>(step * Vector<long>.Count);
                for (; i <= values.Length - Vector<long>.Count; i += Vector<long>.Count)
                {
                    lanes.StoreUnsafe(ref target, (nuint)i);
                    lanes += stride;
                }
            }

            for (; i < values.Length; i++)
            {
                values[i] = start + (i * step);
            }
        }
    }

    private static void Reconstruct(Span<long> values, int order, long @base)
    {
        unchecked
        {
            switch (order)
            {
                case 0:
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] += @base;
                    }

                    break;
                case 1:
                    var previous = values[0];
                    for (var i = 1; i < values.Length; i++)
                    {
                        previous += @base + values[i];
                        values[i] = previous;
                    }

                    break;
                default:
                    var delta = values[1];
                    var value = values[0] + delta;
                    values[1] = value;
                    for (var i = 2; i < values.Length; i++)
                    {
                        delta += @base + values[i];
                        value += delta;
                        values[i] = value;
                    }

                    break;
            }
        }
    }

    private static int WriteLeading(ReadOnlySpan<long> values, int leading, Span<byte> destination)
    {
        var position = 0;
        if (leading > 0)
        {
            position += VarInt.Write(destination, VarInt.ZigZag(values[0]));
        }

        if (leading > 1)
        {
            position += VarInt.Write(destination[position..], VarInt.ZigZag(unchecked(values[1] - values[0])));
        }

        return position;
    }

    private static int Encode<TOrder>(ReadOnlySpan<long> values, in Plan plan, Span<byte> destination)
        where TOrder : struct, IOrder
    {
        var order = TOrder.Order;
        var position = WriteLeading(values, Math.Min(order, values.Length), destination);
        if (values.Length <= order)
        {
            return position;
        }

        var @base = plan.Base;
        var width = plan.Width;
        position += VarInt.Write(destination[position..], VarInt.ZigZag(@base));
        destination[position++] = (byte)width;
        position += VarInt.Write(destination[position..], (ulong)plan.Exceptions);
        ref var v = ref MemoryMarshal.GetReference(values);
        if (width > 0)
        {
            var writer = new BitWriter(destination[position..]);
            for (var i = order; i < values.Length; i++)
            {
                writer.Write(unchecked((ulong)(TOrder.Residual(ref v, i) - @base)), width);
            }

            position += writer.BytesWritten;
        }

        if (plan.Exceptions > 0)
        {
            var previous = -1;
            for (var i = order; i < values.Length; i++)
            {
                var u = unchecked((ulong)(TOrder.Residual(ref v, i) - @base));
                if ((u >> width) != 0)
                {
                    var index = i - order;
                    position += VarInt.Write(destination[position..], (ulong)(index - previous - 1));
                    position += VarInt.Write(destination[position..], VarInt.ZigZag((long)u >> width));
                    previous = index;
                }
            }
        }

        return position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BitLength(ulong value) => 64 - BitOperations.LeadingZeroCount(value);

    /// <summary>
    /// The residual of one order, specialised per struct so the loops above compile without a switch.
    /// Callers guarantee <c>order &lt;= i &lt; values.Length</c>; the reads skip bounds checks.
    /// </summary>
    private interface IOrder
    {
        static abstract int Order { get; }

        static abstract long Residual(ref long values, int i);
    }

    private readonly struct Order0 : IOrder
    {
        public static int Order => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Residual(ref long values, int i) => Unsafe.Add(ref values, i);
    }

    private readonly struct Order1 : IOrder
    {
        public static int Order => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Residual(ref long values, int i) => unchecked(Unsafe.Add(ref values, i) - Unsafe.Add(ref values, i - 1));
    }

    private readonly struct Order2 : IOrder
    {
        public static int Order => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static long Residual(ref long values, int i)
        {
            var current = Unsafe.Add(ref values, i);
            var previous = Unsafe.Add(ref values, i - 1);
            return unchecked((current - previous) - (previous - Unsafe.Add(ref values, i - 2)));
        }
    }
}
