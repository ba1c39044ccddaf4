using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Strata.Storage.Segments.Codecs;

namespace Strata.Storage.IO;

/// <summary>Little-endian primitive and varint writes onto an <see cref="IBufferWriter{T}"/>.</summary>
public static class BinaryWrite
{
    public static void U8(IBufferWriter<byte> w, byte v)
    {
        w.GetSpan(1)[0] = v;
        w.Advance(1);
    }

    public static void U16(IBufferWriter<byte> w, ushort v)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(w.GetSpan(2), v);
        w.Advance(2);
    }

    public static void U32(IBufferWriter<byte> w, uint v)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(w.GetSpan(4), v);
        w.Advance(4);
    }

    public static void I64(IBufferWriter<byte> w, long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(w.GetSpan(8), v);
        w.Advance(8);
    }

    public static void F64(IBufferWriter<byte> w, double v)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(w.GetSpan(8), v);
        w.Advance(8);
    }

    public static void VarU64(IBufferWriter<byte> w, ulong v) => w.Advance(VarInt.Write(w.GetSpan(VarInt.MaxLength), v));

    public static void VarI64(IBufferWriter<byte> w, long v) => VarU64(w, (ulong)((v << 1) ^ (v >> 63)));

    public static void String(IBufferWriter<byte> w, string s)
    {
        var byteCount = Encoding.UTF8.GetByteCount(s);
        w.Advance(String(w.GetSpan(VarInt.MaxLength + byteCount), s, byteCount));
    }

    /// <summary>
    /// The UTF-8 length as a varint, then the bytes, at the start of <paramref name="span"/> (room for a varint and
    /// the encoded string); returns the bytes written.
    /// </summary>
    public static int String(Span<byte> span, string s) => String(span, s, Encoding.UTF8.GetByteCount(s));

    private static int String(Span<byte> span, string s, int byteCount)
    {
        var at = VarInt.Write(span, (ulong)byteCount);
        Encoding.UTF8.GetBytes(s, span[at..]);
        return at + byteCount;
    }
}

/// <summary>A bounds-checked little-endian reader over a span; every overrun throws <see cref="InvalidDataException"/>.</summary>
public ref struct BinaryReadCursor
{
    private readonly ReadOnlySpan<byte> _data;

    public BinaryReadCursor(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
    }

    public int Position { get; private set; }

    public readonly int Remaining => _data.Length - Position;

    public readonly bool AtEnd => Position >= _data.Length;

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            ThrowTruncated();
        }

        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    public byte U8()
    {
        var p = Position;
        if ((uint)p >= (uint)_data.Length)
        {
            ThrowTruncated();
        }

        Position = p + 1;
        return _data[p];
    }

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

    public double F64() => BinaryPrimitives.ReadDoubleLittleEndian(Bytes(8));

    public ulong VarU64()
    {
        var data = _data;
        var p = Position;
        ulong result = 0;
        var shift = 0;
        while ((uint)p < (uint)data.Length)
        {
            ulong b = data[p++];
            if (shift == 63 && b > 1)
            {
                ThrowCorrupt("varint overflows 64 bits");
            }

            result |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                Position = p;
                return result;
            }

            shift += 7;
            if (shift > 63)
            {
                ThrowCorrupt("varint too long");
            }
        }

        ThrowTruncated();
        return 0;
    }

    public long VarI64()
    {
        var u = VarU64();
        return (long)(u >> 1) ^ -(long)(u & 1);
    }

    public int Count(int max)
    {
        var v = VarU64();
        if (v > (ulong)max)
        {
            ThrowCorrupt($"count {v} exceeds limit {max}");
        }

        return (int)v;
    }

    public string String()
    {
        var length = Count(int.MaxValue / 2);
        return Encoding.UTF8.GetString(Bytes(length));
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowTruncated() => throw new InvalidDataException("unexpected end of data");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void ThrowCorrupt(string message) => throw new InvalidDataException(message);
}
