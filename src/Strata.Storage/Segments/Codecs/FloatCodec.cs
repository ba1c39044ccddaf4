using System.Buffers;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// The double block codec the segments use: one tag byte, then <see cref="DecimalFloatCodec"/> when
/// every value is an exact short decimal and that is not larger than <see cref="GorillaFloatCodec"/>,
/// else Gorilla. Both round-trip bit for bit.
/// <code>
/// +---------------------------+------------------------------+
/// | tag u8                    | body                         |
/// | 0 = Gorilla, 1 = Decimal  | GorillaFloatCodec or Decimal |
/// +---------------------------+------------------------------+
/// </code>
/// Layout: docs/format/codecs.md, section "FloatCodec".
/// </summary>
public static class FloatCodec
{
    private const string Name = "float";

    internal const byte GorillaTag = 0;

    internal const byte DecimalTag = 1;

    /// <summary>Upper bound of the encoded size of <paramref name="count"/> values, with the bit writer's slack.</summary>
    internal static int MaxEncodedLength(int count) =>
        count == 0 ? 0 : 1 + Math.Max(DecimalFloatCodec.MaxEncodedLength(count), GorillaFloatCodec.MaxEncodedLength(count));

    public static void Encode(ReadOnlySpan<double> values, IBufferWriter<byte> output)
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
        var body = destination[1..];
        var written = DecimalFloatCodec.TryEncode(values, body);
        if (written >= 0 && !GorillaFloatCodec.IsShorterThan(values, written))
        {
            destination[0] = DecimalTag;
        }
        else
        {
            destination[0] = GorillaTag;
            written = GorillaFloatCodec.Encode(values, body);
        }

        output.Advance(1 + written);
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

        switch (encoded[0])
        {
            case GorillaTag:
                GorillaFloatCodec.Decode(encoded[1..], destination);
                break;
            case DecimalTag:
                DecimalFloatCodec.Decode(encoded[1..], destination);
                break;
            default:
                CodecErrors.ThrowCorrupt(Name, "unknown encoding tag");
                break;
        }
    }
}
