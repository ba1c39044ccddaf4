using System.Buffers.Binary;

namespace Strata.Storage.IO;

/// <summary>
/// The envelope every small state file uses (meta store, checkpoint):
/// <code>
/// +-----------+-----------+---------------+------------+---------------+
/// | magic (8) | version u16 | length u32  | payload    | crc32c u32    |
/// +-----------+-----------+---------------+------------+---------------+
/// </code>
/// The CRC32C covers magic, version, length and payload. See docs/format/state-files.md.
/// </summary>
public static class Checksummed
{
    private const int HeaderSize = 8 + 2 + 4;

    public static byte[] Wrap(ReadOnlySpan<byte> magic, ushort version, ReadOnlySpan<byte> payload)
    {
        if (magic.Length != 8)
        {
            throw new InvalidOperationException("BUG: magic must be 8 bytes");
        }

        var buffer = new byte[HeaderSize + payload.Length + 4];
        magic.CopyTo(buffer);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(8), version);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(10), payload.Length);
        payload.CopyTo(buffer.AsSpan(HeaderSize));
        var crc = Crc32C(buffer.AsSpan(0, HeaderSize + payload.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(HeaderSize + payload.Length), crc);
        return buffer;
    }

    /// <summary>Returns the payload, or throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static ReadOnlyMemory<byte> Unwrap(ReadOnlyMemory<byte> file, ReadOnlySpan<byte> magic, ushort maxVersion, out ushort version)
    {
        var span = file.Span;
        if (span.Length < HeaderSize + 4 || !span[..8].SequenceEqual(magic))
        {
            throw new InvalidDataException("bad magic or file too short");
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
        if (version == 0 || version > maxVersion)
        {
            throw new InvalidDataException($"unsupported version {version} (this build reads up to {maxVersion})");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(span[10..]);
        if (length < 0 || HeaderSize + (long)length + 4 != span.Length)
        {
            throw new InvalidDataException($"length {length} does not match file size {span.Length}");
        }

        var expected = BinaryPrimitives.ReadUInt32LittleEndian(span[(HeaderSize + length)..]);
        if (Crc32C(span[..(HeaderSize + length)]) != expected)
        {
            throw new InvalidDataException("checksum mismatch");
        }

        return file.Slice(HeaderSize, length);
    }

    public static uint Crc32C(ReadOnlySpan<byte> data) => Crc32CHash.Compute(data);
}
