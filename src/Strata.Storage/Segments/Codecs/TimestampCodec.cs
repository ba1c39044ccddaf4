using System.Buffers;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Delta-of-delta codec for int64 timestamps (µs) and sequence numbers: the first value and the
/// first delta as zigzag varints, then the delta-of-deltas bit-packed with patched
/// frame-of-reference (<see cref="FrameOfReference"/>, order 2). Points at a constant interval have
/// a constant delta-of-delta, packed at width 0: a block of 1,000 costs about 15 bytes.
/// Any sequence round-trips (equal, decreasing, long.MinValue/MaxValue): the arithmetic wraps.
/// Layout: docs/format/codecs.md, section "TimestampCodec".
/// </summary>
public static class TimestampCodec
{
    private const string Name = "timestamp";

    private const int Order = 2;

    /// <summary>Upper bound of the encoded size of <paramref name="count"/> values, with the bit writer's slack.</summary>
    internal static int MaxEncodedLength(int count) => FrameOfReference.MaxEncodedLength(count);

    public static void Encode(ReadOnlySpan<long> values, IBufferWriter<byte> output)
    {
        if (values.Length > CodecErrors.MaxValues)
        {
            CodecErrors.ThrowTooManyValues(values.Length);
        }

        var destination = output.GetSpan(MaxEncodedLength(values.Length));
        output.Advance(FrameOfReference.Encode(values, FrameOfReference.Measure(values, Order), destination));
    }

    public static void Decode(ReadOnlySpan<byte> encoded, Span<long> destination)
    {
        var position = 0;
        FrameOfReference.Decode(encoded, ref position, destination, Order, Name);
        if (position != encoded.Length)
        {
            CodecErrors.ThrowCorrupt(Name, "unused bytes after the last value");
        }
    }
}
