using System.Buffers;
using System.Numerics;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Codec for int64 timestamps (µs) and sequence numbers: a header byte (order, and whether the values are scaled
/// by the greatest common divisor of their steps), then the packed residuals of <see cref="FrameOfReference"/> at
/// order 1 (deltas) or 2 (delta-of-deltas), whichever is smaller. Points at a constant interval cost about 15 bytes
/// a block. Sequence numbers (n × 10000 + 1) of series whose writes interleave with other series step by
/// irregular multiples of 10,000: dividing by the common step turns 26-bit jumps into 13-bit ones, and the
/// regular part into width-0 runs (4.4 → 1.6 bytes/point on the README's load workload).
/// Any sequence round-trips (equal, decreasing, long.MinValue/MaxValue): the arithmetic wraps.
/// Layout: docs/format/codecs.md, section "TimestampCodec".
/// </summary>
public static class TimestampCodec
{
    private const string Name = "timestamp";

    private const byte ScaledFlag = 0x80;

    /// <summary>Upper bound of the encoded size of <paramref name="count"/> values, with the bit writer's slack.</summary>
    internal static int MaxEncodedLength(int count) => 1 + (2 * VarInt.MaxLength) + FrameOfReference.MaxEncodedLength(count);

    public static void Encode(ReadOnlySpan<long> values, IBufferWriter<byte> output)
    {
        if (values.Length > CodecErrors.MaxValues)
        {
            CodecErrors.ThrowTooManyValues(values.Length);
        }

        if (values.Length == 0)
        {
            return;
        }

        var destination = output.GetSpan(MaxEncodedLength(values.Length));
        var step = CommonStep(values);
        if (step <= 1)
        {
            output.Advance(EncodeResiduals(values, 1, destination));
            return;
        }

        var scaled = ArrayPool<long>.Shared.Rent(values.Length);
        try
        {
            unchecked
            {
                var first = values[0];
                for (var i = 0; i < values.Length; i++)
                {
                    scaled[i] = (values[i] - first) / (long)step;
                }
            }

            // Scale only when it pays for its header (a constant interval packs at width 0 either way).
            var header = VarInt.Length(step) + VarInt.Length(VarInt.ZigZag(values[0]));
            if ((Best(scaled.AsSpan(0, values.Length)).Bits / 8) + header >= Best(values).Bits / 8)
            {
                output.Advance(EncodeResiduals(values, 1, destination));
                return;
            }

            var n = VarInt.Write(destination[1..], step);
            n += VarInt.Write(destination[(1 + n)..], VarInt.ZigZag(values[0]));
            var written = EncodeResiduals(scaled.AsSpan(0, values.Length), 1 + n, destination);
            destination[0] |= ScaledFlag;
            output.Advance(written);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scaled);
        }
    }

    /// <summary>Writes the better of order 1 and order 2 after <paramref name="offset"/> header bytes; returns the total length.</summary>
    private static int EncodeResiduals(ReadOnlySpan<long> values, int offset, Span<byte> destination)
    {
        var plan = Best(values);
        destination[0] = (byte)plan.Order;
        return offset + FrameOfReference.Encode(values, plan, destination[offset..]);
    }

    private static FrameOfReference.Plan Best(ReadOnlySpan<long> values)
    {
        var plan = FrameOfReference.Measure(values, 2);
        if (values.Length > 2)
        {
            var deltas = FrameOfReference.Measure(values, 1);
            if (deltas.Bits < plan.Bits)
            {
                plan = deltas;
            }
        }

        return plan;
    }

    /// <summary>
    /// The greatest common divisor of the steps v[i] − v[0], when dividing by it round-trips exactly (it may not
    /// when the differences wrap around 2^64); 0 or 1 means "do not scale".
    /// </summary>
    private static ulong CommonStep(ReadOnlySpan<long> values)
    {
        ulong gcd = 0;
        unchecked
        {
            var first = values[0];
            for (var i = 1; i < values.Length && gcd != 1; i++)
            {
                var difference = values[i] - first;
                var magnitude = difference < 0 ? (ulong)-difference : (ulong)difference;
                gcd = Gcd(gcd, magnitude);
            }

            if (gcd <= 1 || gcd > long.MaxValue)
            {
                return 0;
            }

            for (var i = 1; i < values.Length; i++)
            {
                if (first + ((values[i] - first) / (long)gcd * (long)gcd) != values[i])
                {
                    return 0;
                }
            }
        }

        return gcd;
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        if (a == 0)
        {
            return b;
        }

        if (b == 0)
        {
            return a;
        }

        var shift = BitOperations.TrailingZeroCount(a | b);
        a >>= BitOperations.TrailingZeroCount(a);
        do
        {
            b >>= BitOperations.TrailingZeroCount(b);
            if (a > b)
            {
                (a, b) = (b, a);
            }

            b -= a;
        }
        while (b != 0);
        return a << shift;
    }

    public static void Decode(ReadOnlySpan<byte> encoded, Span<long> destination)
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

        var header = encoded[0];
        var order = header & ~ScaledFlag;
        if (order > FrameOfReference.MaxOrder)
        {
            CodecErrors.ThrowCorrupt(Name, "unknown order");
        }

        var position = 1;
        ulong step = 0;
        long first = 0;
        if ((header & ScaledFlag) != 0)
        {
            step = VarInt.Read(encoded, ref position, Name);
            if (step < 2 || step > long.MaxValue)
            {
                CodecErrors.ThrowCorrupt(Name, "invalid step");
            }

            first = VarInt.UnZigZag(VarInt.Read(encoded, ref position, Name));
        }

        FrameOfReference.Decode(encoded, ref position, destination, order, Name);
        if (position != encoded.Length)
        {
            CodecErrors.ThrowCorrupt(Name, "unused bytes after the last value");
        }

        if (step != 0)
        {
            unchecked
            {
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = first + (destination[i] * (long)step);
                }
            }
        }
    }
}
