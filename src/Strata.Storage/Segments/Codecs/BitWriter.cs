using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Appends bit fields of 0..64 bits to a span, least significant bit first: the first field
/// starts at bit 0 of byte 0. Unused bits of the last byte are zero.
/// Each write stores a whole 64-bit word at the current byte, so the span needs
/// <see cref="Slack"/> bytes beyond the encoded length; codecs include it in their size bounds.
/// </summary>
internal ref struct BitWriter
{
    /// <summary>Bytes a destination needs past the last encoded byte.</summary>
    public const int Slack = 8;

    private readonly Span<byte> _destination;
    private int _position;  // byte that holds bit _count of _buffer
    private ulong _buffer;  // pending bits, LSB first; at most 7 between writes
    private int _count;

    public BitWriter(Span<byte> destination) => _destination = destination;

    /// <summary>Bytes written so far, including a partly filled last byte.</summary>
    public readonly int BytesWritten => _position + ((_count + 7) >> 3);

    /// <summary>Appends the low <paramref name="width"/> bits of <paramref name="value"/>; higher bits are ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ulong value, int width)
    {
        if (width > 56)
        {
            WriteLow(value & 0xFFFF_FFFF, 32);
            value >>= 32;
            width -= 32;
        }

        WriteLow(value & ((1UL << width) - 1), width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteLow(ulong value, int width)
    {
        // width <= 56 and _count <= 7, so the buffer never overflows.
        _buffer |= value << _count;
        _count += width;
        if ((uint)(_position + 8) > (uint)_destination.Length)
        {
            CodecErrors.ThrowBug("bit writer destination is smaller than the codec's size bound");
        }

        // One unaligned 8-byte store instead of a byte loop; the bytes past the last full one are rewritten later.
        var word = BitConverter.IsLittleEndian ? _buffer : BinaryPrimitives.ReverseEndianness(_buffer);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(_destination), _position), word);
        var bytes = _count >> 3;
        _position += bytes;
        _buffer >>= bytes << 3;
        _count &= 7;
    }
}
