using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Booleans as one tag byte, then one bit per value (least significant bit first) unless the
/// block is constant, which the tag alone says.
/// <code>
/// +-----------------------------------------------+-------------------------------------+
/// | tag u8                                        | tag 0: ceil(n / 8) bytes, bit i = v[i] |
/// | 0 = packed, 1 = all false, 2 = all true       | tags 1, 2: nothing                  |
/// +-----------------------------------------------+-------------------------------------+
/// </code>
/// Layout: docs/format/codecs.md, section "BooleanCodec".
/// </summary>
public static class BooleanCodec
{
    private const string Name = "boolean";

    internal const byte PackedTag = 0;

    internal const byte AllFalseTag = 1;

    internal const byte AllTrueTag = 2;

    /// <summary>Byte i of entry b is bit i of b: one table load spreads 8 packed bits over 8 bools.</summary>
    private static readonly ulong[] Spread = BuildSpread();

    public static void Encode(ReadOnlySpan<bool> values, IBufferWriter<byte> output)
    {
        if (values.Length > CodecErrors.MaxValues)
        {
            CodecErrors.ThrowTooManyValues(values.Length);
        }

        if (values.Length == 0)
        {
            return;
        }

        var first = values[0];
        if (values.IndexOf(!first) < 0)
        {
            output.GetSpan(1)[0] = first ? AllTrueTag : AllFalseTag;
            output.Advance(1);
            return;
        }

        var packedLength = (values.Length + 7) >> 3;
        var destination = output.GetSpan(1 + packedLength);
        destination[0] = PackedTag;
        Pack(MemoryMarshal.AsBytes(values), destination.Slice(1, packedLength));
        output.Advance(1 + packedLength);
    }

    public static void Decode(ReadOnlySpan<byte> encoded, Span<bool> destination)
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
            case AllFalseTag or AllTrueTag:
                if (encoded.Length != 1)
                {
                    CodecErrors.ThrowCorrupt(Name, "bytes after a constant block's tag");
                }

                destination.Fill(encoded[0] == AllTrueTag);
                return;
            case PackedTag:
                var packed = encoded[1..];
                if (packed.Length != (destination.Length + 7) >> 3)
                {
                    CodecErrors.ThrowCorrupt(Name, "packed length does not match the value count");
                }

                var tail = destination.Length & 7;
                if (tail != 0 && (packed[^1] >> tail) != 0)
                {
                    CodecErrors.ThrowCorrupt(Name, "non-zero padding bits");
                }

                Unpack(packed, MemoryMarshal.AsBytes(destination));
                return;
            default:
                CodecErrors.ThrowCorrupt(Name, "unknown encoding tag");
                return;
        }
    }

    private static void Pack(ReadOnlySpan<byte> bools, Span<byte> packed)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // 16 bools → 2 bytes per step; any non-zero byte counts as true.
            for (; i + 16 <= bools.Length; i += 16)
            {
                var isFalse = Vector128.Equals(Vector128.Create(bools.Slice(i, 16)), Vector128<byte>.Zero);
                var mask = (ushort)~isFalse.ExtractMostSignificantBits();
                BinaryPrimitives.WriteUInt16LittleEndian(packed[(i >> 3)..], mask);
            }
        }

        for (; i < bools.Length; i += 8)
        {
            var end = Math.Min(i + 8, bools.Length);
            var b = 0;
            for (var j = i; j < end; j++)
            {
                if (bools[j] != 0)
                {
                    b |= 1 << (j - i);
                }
            }

            packed[i >> 3] = (byte)b;
        }
    }

    private static void Unpack(ReadOnlySpan<byte> packed, Span<byte> bools)
    {
        var spread = Spread;
        var whole = bools.Length >> 3;
        for (var i = 0; i < whole; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bools[(i << 3)..], spread[packed[i]]);
        }

        for (var j = whole << 3; j < bools.Length; j++)
        {
            bools[j] = (byte)((packed[j >> 3] >> (j & 7)) & 1);
        }
    }

    private static ulong[] BuildSpread()
    {
        var table = new ulong[256];
        for (var b = 0; b < 256; b++)
        {
            ulong word = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                word |= (ulong)((b >> bit) & 1) << (bit * 8);
            }

            table[b] = word;
        }

        return table;
    }
}
