using System.Buffers;
using System.Numerics;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Codec for int64 timestamps (µs) and sequence numbers: a header byte (order, and whether the values are scaled
/// by the greatest common divisor of their steps), then the packed residuals of <see cref="FrameOfReference"/> at
/// order 1 (deltas) or 2 (delta-of-deltas), whichever is smaller, or the runs layout when that is smaller still.
/// Points at a constant interval cost about 15 bytes a block. Sequence numbers (n × 10000 + 1) of a series whose
/// writes interleave with other series step by 10,000 within a request and jump by a multiple of 10,000 between
/// requests: scaling by the common step makes the regular steps 1, and the runs layout stores only the jumps, as two
/// nested blocks (their positions, and their sizes, which share a common step of their own when requests are of one
/// size). Any sequence round-trips (equal, decreasing, long.MinValue/MaxValue): the arithmetic wraps.
/// Layout: docs/format/codecs.md, section "TimestampCodec".
/// </summary>
public static class TimestampCodec
{
    private const string Name = "timestamp";

    private const byte ScaledFlag = 0x80;

    /// <summary>Header flag of the runs layout: one common step, and the steps that differ listed apart.</summary>
    private const byte RunsFlag = 0x40;

    private const byte OrderMask = 0x3F;

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

        output.Advance(Encode(values, output.GetSpan(MaxEncodedLength(values.Length)), allowRuns: true));
    }

    /// <summary>Encodes a non-empty sequence into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/>); returns the length.</summary>
    private static int Encode(ReadOnlySpan<long> values, Span<byte> destination, bool allowRuns)
    {
        if (IsArithmetic(values))
        {
            // A constant interval: delta-of-deltas all 0, which nothing beats (scaling only adds its header).
            destination[0] = 2;
            return 1 + FrameOfReference.Encode(values, ConstantPlan, destination[1..]);
        }

        var plan = Best(values);
        var step = CommonStep(values);
        if (step <= 1)
        {
            return EncodeSequence(values, plan, 1, destination, allowRuns);
        }

        var rented = ArrayPool<long>.Shared.Rent(values.Length);
        try
        {
            var scaled = rented.AsSpan(0, values.Length);
            Scale(values, (long)step, scaled);

            // Scale only when it pays for its header (a constant interval packs at width 0 either way).
            var scaledPlan = Best(scaled);
            var header = VarInt.Length(step) + VarInt.Length(VarInt.ZigZag(values[0]));
            if ((scaledPlan.Bits / 8) + header >= plan.Bits / 8)
            {
                return EncodeSequence(values, plan, 1, destination, allowRuns);
            }

            var n = VarInt.Write(destination[1..], step);
            n += VarInt.Write(destination[(1 + n)..], VarInt.ZigZag(values[0]));
            var written = EncodeSequence(scaled, scaledPlan, 1 + n, destination, allowRuns);
            destination[0] |= ScaledFlag;
            return written;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }

    /// <summary>The plan <see cref="Best"/> makes for more than two values at a constant interval: order 2, all residuals 0.</summary>
    private static readonly FrameOfReference.Plan ConstantPlan = new(2, 0, 0, 0, (VarInt.Length(0) + 2) * 8);

    /// <summary>More than two values, every step v[i] − v[i−1] the same.</summary>
    private static bool IsArithmetic(ReadOnlySpan<long> values)
    {
        if (values.Length <= 2)
        {
            return false;
        }

        unchecked
        {
            var step = values[1] - values[0];
            var previous = values[1];
            for (var i = 2; i < values.Length; i++)
            {
                var value = values[i];
                if (value - previous != step)
                {
                    return false;
                }

                previous = value;
            }
        }

        return true;
    }

    /// <summary>
    /// Writes <paramref name="plan"/>'s packing (order 1 or 2, from <see cref="Best"/>) after <paramref name="offset"/>
    /// header bytes, or the runs layout when that is smaller; returns the total length. The header byte's flags are
    /// left for the caller.
    /// </summary>
    private static int EncodeSequence(ReadOnlySpan<long> values, in FrameOfReference.Plan plan, int offset, Span<byte> destination, bool allowRuns)
    {
        destination[0] = (byte)plan.Order;
        if (!allowRuns || (plan.Width == 0 && plan.Exceptions == 0) || !TryMajorityStep(values, out var common, out var exceptions))
        {
            return offset + FrameOfReference.Encode(values, plan, destination[offset..]);
        }

        var scratch = ArrayPool<byte>.Shared.Rent(RunsMaxLength(exceptions));
        try
        {
            // The packing is only written when the runs might not beat it: its packed offsets alone take
            // ⌈(n − order) × width / 8⌉ bytes, plus at least a byte each for base, width and patch count.
            var runs = EncodeRuns(values, common, exceptions, scratch);
            var packedAtLeast = ((((long)values.Length - plan.Order) * plan.Width) + 7) / 8 + 3;
            if (runs < packedAtLeast)
            {
                destination[0] = RunsFlag;
                scratch.AsSpan(0, runs).CopyTo(destination[offset..]);
                return offset + runs;
            }

            var length = offset + FrameOfReference.Encode(values, plan, destination[offset..]);
            if (runs >= length - offset)
            {
                return length;
            }

            destination[0] = RunsFlag;
            scratch.AsSpan(0, runs).CopyTo(destination[offset..]);
            return offset + runs;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The step v[i] − v[i−1] that more than half of the steps share (a Boyer-Moore vote, then a count), and how many
    /// steps differ from it; false when no step has a majority.
    /// </summary>
    private static bool TryMajorityStep(ReadOnlySpan<long> values, out long common, out int exceptions)
    {
        common = 0;
        exceptions = 0;
        var steps = values.Length - 1;
        if (steps < 2)
        {
            return false;
        }

        unchecked
        {
            var votes = 0;
            for (var i = 1; i < values.Length; i++)
            {
                var step = values[i] - values[i - 1];
                if (votes == 0)
                {
                    common = step;
                    votes = 1;
                }
                else
                {
                    votes += step == common ? 1 : -1;
                }
            }

            for (var i = 1; i < values.Length; i++)
            {
                exceptions += values[i] - values[i - 1] == common ? 0 : 1;
            }
        }

        return exceptions * 2 < steps;
    }

    private static int RunsMaxLength(int exceptions) => (4 * VarInt.MaxLength) + (2 * MaxEncodedLength(Math.Max(exceptions, 1)));

    /// <summary>
    /// The runs layout: v[0], the common step, the number of other steps, then their positions and their values, each
    /// a nested block of this codec (without runs) and the first prefixed by its length.
    /// </summary>
    private static int EncodeRuns(ReadOnlySpan<long> values, long common, int exceptions, Span<byte> destination)
    {
        var position = VarInt.Write(destination, VarInt.ZigZag(values[0]));
        position += VarInt.Write(destination[position..], VarInt.ZigZag(common));
        position += VarInt.Write(destination[position..], (ulong)exceptions);
        if (exceptions == 0)
        {
            return position;
        }

        var lists = ArrayPool<long>.Shared.Rent(2 * exceptions);
        try
        {
            var indexes = lists.AsSpan(0, exceptions);
            var steps = lists.AsSpan(exceptions, exceptions);
            var e = 0;
            unchecked
            {
                for (var i = 1; i < values.Length; i++)
                {
                    var step = values[i] - values[i - 1];
                    if (step != common)
                    {
                        indexes[e] = i;
                        steps[e++] = step;
                    }
                }
            }

            // The positions' length goes first, so it is written after them with room reserved for its varint.
            var reserved = VarInt.Length((ulong)MaxEncodedLength(exceptions));
            var indexesLength = Encode(indexes, destination[(position + reserved)..], allowRuns: false);
            var lengthBytes = VarInt.Write(destination[position..], (ulong)indexesLength);
            destination.Slice(position + reserved, indexesLength).CopyTo(destination[(position + lengthBytes)..]);
            position += lengthBytes + indexesLength;
            return position + Encode(steps, destination[position..], allowRuns: false);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(lists);
        }
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
    /// The greatest common divisor of the steps v[i] − v[i−1] (as signed numbers), when it is at most
    /// <see cref="long.MaxValue"/>; 0 or 1 means "do not scale". A step equal to the one before adds nothing, so
    /// regular stretches cost a compare per value.
    /// </summary>
    private static ulong CommonStep(ReadOnlySpan<long> values)
    {
        ulong gcd = 0;
        long previousStep = 0;
        unchecked
        {
            for (var i = 1; i < values.Length; i++)
            {
                var step = values[i] - values[i - 1];
                if (step == previousStep)
                {
                    continue;
                }

                previousStep = step;
                gcd = Gcd(gcd, step < 0 ? (ulong)-step : (ulong)step);
                if (gcd == 1)
                {
                    return 0;
                }
            }
        }

        return gcd > long.MaxValue ? 0 : gcd;
    }

    /// <summary>
    /// s[i] = (v[i] − v[0]) / step, summed step by step: every step is a multiple of <paramref name="step"/>, so each
    /// quotient is exact and v[0] + s[i] × step gives v[i] back even where the differences wrap around 2^64.
    /// </summary>
    private static void Scale(ReadOnlySpan<long> values, long step, Span<long> scaled)
    {
        unchecked
        {
            scaled[0] = 0;
            long previousStep = 0, quotient = 0, sum = 0;
            for (var i = 1; i < values.Length; i++)
            {
                var delta = values[i] - values[i - 1];
                if (delta != previousStep)
                {
                    previousStep = delta;
                    quotient = delta / step;
                }

                sum += quotient;
                scaled[i] = sum;
            }
        }
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

        Decode(encoded, destination, allowRuns: true);
    }

    private static void Decode(ReadOnlySpan<byte> encoded, Span<long> destination, bool allowRuns)
    {
        if (encoded.Length == 0)
        {
            CodecErrors.ThrowCorrupt(Name, "no data");
        }

        var header = encoded[0];
        var order = header & OrderMask;
        var runs = (header & RunsFlag) != 0;
        if (order > FrameOfReference.MaxOrder || (runs && (order != 0 || !allowRuns)))
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

        if (runs)
        {
            DecodeRuns(encoded, ref position, destination);
        }
        else
        {
            FrameOfReference.Decode(encoded, ref position, destination, order, Name);
        }

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

    /// <summary>Reads the runs layout of <see cref="EncodeRuns"/> to the end of <paramref name="encoded"/>.</summary>
    private static void DecodeRuns(ReadOnlySpan<byte> encoded, ref int position, Span<long> destination)
    {
        var value = VarInt.UnZigZag(VarInt.Read(encoded, ref position, Name));
        var common = VarInt.UnZigZag(VarInt.Read(encoded, ref position, Name));
        var exceptions = VarInt.ReadBounded(encoded, ref position, destination.Length - 1, Name, "more step exceptions than steps");
        destination[0] = value;
        if (exceptions == 0)
        {
            unchecked
            {
                for (var i = 1; i < destination.Length; i++)
                {
                    value += common;
                    destination[i] = value;
                }
            }

            return;
        }

        // The bound is what is left after the length itself: read it first, then compare.
        var indexesLength = VarInt.ReadBounded(encoded, ref position, encoded.Length, Name, "truncated step exceptions");
        if (indexesLength > encoded.Length - position)
        {
            CodecErrors.ThrowCorrupt(Name, "truncated step exceptions");
        }

        var lists = ArrayPool<long>.Shared.Rent(2 * exceptions);
        try
        {
            var indexes = lists.AsSpan(0, exceptions);
            var steps = lists.AsSpan(exceptions, exceptions);
            Decode(encoded.Slice(position, indexesLength), indexes, allowRuns: false);
            position += indexesLength;
            Decode(encoded[position..], steps, allowRuns: false);
            position = encoded.Length;
            var e = 0;
            unchecked
            {
                for (var i = 1; i < destination.Length; i++)
                {
                    var step = common;
                    if (e < exceptions && indexes[e] == i)
                    {
                        step = steps[e++];
                    }

                    value += step;
                    destination[i] = value;
                }
            }

            if (e != exceptions)
            {
                CodecErrors.ThrowCorrupt(Name, "step exception positions out of order or range");
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(lists);
        }
    }
}
