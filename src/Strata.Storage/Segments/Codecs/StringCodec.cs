using System.Buffers;
using System.Text;
using K4os.Compression.LZ4;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Strings as UTF-8, each prefixed by its byte length as a varint; the whole payload is LZ4
/// block-compressed when that makes it smaller. A flag byte says which.
/// <code>
/// +----------------------+-------------------------------------------------------------+
/// | flag u8              | flag 0: payload                                             |
/// | 0 = raw, 1 = LZ4     | flag 1: payload length (varint), LZ4 block of the payload   |
/// +----------------------+-------------------------------------------------------------+
/// payload: n × ( byte length varint | UTF-8 bytes )
/// </code>
/// Strings come from JSON and are valid UTF-16; a lone surrogate, if one gets here anyway, is
/// written as U+FFFD (the UTF-8 encoder's replacement) and decodes as U+FFFD. A null string is
/// stored as the empty string. Layout: docs/format/codecs.md, section "StringCodec".
/// </summary>
public static class StringCodec
{
    private const string Name = "string";

    internal const byte RawTag = 0;

    internal const byte Lz4Tag = 1;

    /// <summary>Payloads shorter than this are stored raw: LZ4's token overhead leaves nothing to win.</summary>
    private const int MinCompressedLength = 32;

    /// <summary>LZ4 expands at most about 255:1 (a match length byte per 255 bytes); a larger claimed size is corrupt.</summary>
    private const int MaxExpansion = 256;

    public static void Encode(ReadOnlySpan<string> values, IBufferWriter<byte> output)
    {
        if (values.Length > CodecErrors.MaxValues)
        {
            CodecErrors.ThrowTooManyValues(values.Length);
        }

        if (values.Length == 0)
        {
            return;
        }

        var payloadLength = 0L;
        for (var i = 0; i < values.Length; i++)
        {
            var byteCount = Encoding.UTF8.GetByteCount(values[i] ?? string.Empty);
            payloadLength += VarInt.Length((ulong)byteCount) + byteCount;
        }

        if (payloadLength > Array.MaxLength - 16)
        {
            throw new ArgumentException($"a string block holds at most {Array.MaxLength - 16} bytes of UTF-8, this one {payloadLength}", nameof(values));
        }

        var length = (int)payloadLength;
        var destination = output.GetSpan(1 + length);
        var payload = destination.Slice(1, length);
        WritePayload(values, payload);
        if (length >= MinCompressedLength)
        {
            var compressed = ArrayPool<byte>.Shared.Rent(LZ4Codec.MaximumOutputSize(length));
            try
            {
                var compressedLength = LZ4Codec.Encode(payload, compressed);
                var header = 1 + VarInt.Length((ulong)length);
                if (compressedLength > 0 && header + compressedLength < 1 + length)
                {
                    // The raw payload is no longer needed: the compressed copy overwrites it.
                    destination[0] = Lz4Tag;
                    VarInt.Write(destination[1..], (ulong)length);
                    compressed.AsSpan(0, compressedLength).CopyTo(destination[header..]);
                    output.Advance(header + compressedLength);
                    return;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }

        destination[0] = RawTag;
        output.Advance(1 + length);
    }

    public static void Decode(ReadOnlySpan<byte> encoded, Span<string> destination)
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
            case RawTag:
                ReadPayload(encoded[1..], destination);
                return;
            case Lz4Tag:
                var position = 1;
                var length = VarInt.ReadBounded(encoded, ref position, Array.MaxLength, Name, "payload length above 2 GB");
                var compressed = encoded[position..];
                if (length > ((long)compressed.Length * MaxExpansion) + 64)
                {
                    CodecErrors.ThrowCorrupt(Name, "payload length impossible for its compressed size");
                }

                var payload = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    if (LZ4Codec.Decode(compressed, payload.AsSpan(0, length)) != length)
                    {
                        CodecErrors.ThrowCorrupt(Name, "LZ4 payload does not decompress to its length");
                    }

                    ReadPayload(payload.AsSpan(0, length), destination);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(payload);
                }

                return;
            default:
                CodecErrors.ThrowCorrupt(Name, "unknown encoding flag");
                return;
        }
    }

    private static void WritePayload(ReadOnlySpan<string> values, Span<byte> payload)
    {
        var position = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i] ?? string.Empty;
            if (value.Length * 3 < 0x80)
            {
                // At most 127 UTF-8 bytes: the length is one varint byte, so encode first and fill it in after.
                var written = Encoding.UTF8.GetBytes(value, payload[(position + 1)..]);
                payload[position] = (byte)written;
                position += 1 + written;
            }
            else
            {
                var byteCount = Encoding.UTF8.GetByteCount(value);
                position += VarInt.Write(payload[position..], (ulong)byteCount);
                position += Encoding.UTF8.GetBytes(value, payload[position..]);
            }
        }

        if (position != payload.Length)
        {
            CodecErrors.ThrowBug("string payload length changed between counting and writing");
        }
    }

    private static void ReadPayload(ReadOnlySpan<byte> payload, Span<string> destination)
    {
        var position = 0;
        for (var i = 0; i < destination.Length; i++)
        {
            var length = VarInt.Read(payload, ref position, Name);
            if (length > (ulong)(payload.Length - position))
            {
                CodecErrors.ThrowCorrupt(Name, "string longer than the payload");
            }

            destination[i] = length == 0 ? string.Empty : Encoding.UTF8.GetString(payload.Slice(position, (int)length));
            position += (int)length;
        }

        if (position != payload.Length)
        {
            CodecErrors.ThrowCorrupt(Name, "unused bytes after the last string");
        }
    }
}
