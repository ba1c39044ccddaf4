using System.Buffers;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Int64 block codec: a one-byte order (0 = values, 1 = deltas, 2 = delta-of-deltas) chosen per
/// block as the smallest, then the residuals of that order zigzag'd and bit-packed with patched
/// frame-of-reference (<see cref="FrameOfReference"/>). A steady counter costs nothing per value,
/// a gauge that wanders costs the bits of its step. Layout: docs/format/codecs.md, section "IntegerCodec".
/// </summary>
public static class IntegerCodec
{
    private const string Name = "integer";

    /// <summary>Upper bound of the encoded size of <paramref name="count"/> values, with the bit writer's slack.</summary>
    internal static int MaxEncodedLength(int count) => 1 + FrameOfReference.MaxEncodedLength(count);

    public static void Encode(ReadOnlySpan<long> values, IBufferWriter<byte> output)
    {
        if (values.Length > CodecErrors.MaxValues)
        {
            CodecErrors.ThrowTooManyValues(values.Length);
        }

        var written = Encode(values, output.GetSpan(MaxEncodedLength(values.Length)));
        output.Advance(written);
    }

    /// <summary>Encodes into <paramref name="destination"/>, which holds at least <see cref="MaxEncodedLength"/> bytes; returns the bytes used.</summary>
    internal static int Encode(ReadOnlySpan<long> values, Span<byte> destination)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var best = FrameOfReference.ChoosePlan(values);
        destination[0] = (byte)best.Order;
        return 1 + FrameOfReference.Encode(values, best, destination[1..]);
    }

    public static void Decode(ReadOnlySpan<byte> encoded, Span<long> destination) => Decode(encoded, destination, Name);

    /// <summary>Decodes with <paramref name="codec"/> named in errors, for codecs built on this one.</summary>
    internal static void Decode(ReadOnlySpan<byte> encoded, Span<long> destination, string codec)
    {
        if (destination.Length == 0)
        {
            if (encoded.Length != 0)
            {
                CodecErrors.ThrowCorrupt(codec, "bytes in an empty block");
            }

            return;
        }

        if (encoded.Length == 0)
        {
            CodecErrors.ThrowCorrupt(codec, "no data");
        }

        int order = encoded[0];
        if (order > FrameOfReference.MaxOrder)
        {
            CodecErrors.ThrowCorrupt(codec, "unknown order");
        }

        var position = 1;
        FrameOfReference.Decode(encoded, ref position, destination, order, codec);
        if (position != encoded.Length)
        {
            CodecErrors.ThrowCorrupt(codec, "unused bytes after the last value");
        }
    }
}
