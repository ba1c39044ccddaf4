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
        var step = CommonStep(values);
        if (step <= 1)
        {
            return EncodeSequence(values, 1, destination, allowRuns);
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
                return EncodeSequence(values, 1, destination, allowRuns);
            }

            var n = VarInt.Write(destination[1..], step);
            n += VarInt.Write(destination[(1 + n)..], VarInt.ZigZag(values[0]));
            var written = EncodeSequence(scaled.AsSpan(0, values.Length), 1 + n, destination, allowRuns);
            destination[0] |= ScaledFlag;
            return written;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(scaled);
        }
    }

    /// <summary>
    /// Writes the better of order 1 and order 2 after <paramref name="offset"/> header bytes, or the runs layout when
    /// that is smaller; returns the total length. The header byte's flags are left for the caller.
    /// </summary>
    private static int EncodeSequence(ReadOnlySpan<long> values, int offset, Span<byte> destination, bool allowRuns)
    {
        var plan = Best(values);
        destination[0] = (byte)plan.Order;
        var length = offset + FrameOfReference.Encode(values, plan, destination[offset..]);
        if (!allowRuns || (plan.Width == 0 && plan.Exceptions == 0) || !TryMajorityStep(values, out var common, out var exceptions))
        {
            return length;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(RunsMaxLength(exceptions));
        try
        {
            var runs = EncodeRuns(values, common, exceptions, scratch);
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

        var indexesLength = VarInt.ReadBounded(encoded, ref position, encoded.Length - position, Name, "truncated step exceptions");
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
