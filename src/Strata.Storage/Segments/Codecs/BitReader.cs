using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Reads bit fields written by <see cref="BitWriter"/> (least significant bit first).
/// Reading past the end of the span throws <see cref="InvalidDataException"/>, never
/// <see cref="IndexOutOfRangeException"/>: the input is untrusted disk data.
/// </summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _source;
    private readonly string _codec;
    private int _next;      // next byte to load into _buffer
    private ulong _buffer;  // unread bits, LSB first; bits above _count may hold the next byte's low bits
    private int _count;

    public BitReader(ReadOnlySpan<byte> source, string codec)
    {
        _source = source;
        _codec = codec;
    }

    /// <summary>Bits consumed so far.</summary>
    public readonly long BitPosition => ((long)_next << 3) - _count;

    /// <summary>Reads a field of 0..64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Read(int width)
    {
        if (width > 56)
        {
            var low = ReadLow(32);
            return low | (ReadLow(width - 32) << 32);
        }

        return ReadLow(width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBit() => ReadLow(1) != 0;

    /// <summary>
    /// Checks that the fields read so far end in the last byte of the span and that the bits
    /// after them are zero, as <see cref="BitWriter"/> leaves them.
    /// </summary>
    public void ExpectEnd()
    {
        var remaining = ((long)_source.Length << 3) - BitPosition;
        if (remaining >= 8)
        {
            CodecErrors.ThrowCorrupt(_codec, "unused bytes after the last value");
        }

        if (ReadLow((int)remaining) != 0)
        {
            CodecErrors.ThrowCorrupt(_codec, "non-zero padding bits");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadLow(int width)
    {
        if (_count < width)
        {
            Refill();
            if (_count < width)
            {
                CodecErrors.ThrowCorrupt(_codec, "truncated bit stream");
            }
        }

        var value = _buffer & ((1UL << width) - 1);
        _buffer >>= width;
        _count -= width;
        return value;
    }

    private void Refill()
    {
        if (_next + 8 <= _source.Length)
        {
            // Branch-free refill to 56..63 bits; the partly loaded byte is loaded again next time at the same
            // bit offset, so the stray high bits are the same bits and OR-ing them is harmless.
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_source), _next));
            if (!BitConverter.IsLittleEndian)
            {
                word = BinaryPrimitives.ReverseEndianness(word);
            }

            _buffer |= word << _count;
            var bytes = (63 - _count) >> 3;
            _next += bytes;
            _count += bytes << 3;
            return;
        }

        while (_count <= 56 && _next < _source.Length)
        {
            _buffer |= (ulong)_source[_next++] << _count;
            _count += 8;
        }
    }
}
