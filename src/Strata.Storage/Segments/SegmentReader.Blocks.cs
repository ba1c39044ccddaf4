using System.Buffers.Binary;
using Strata.Core;
using Strata.Storage.IO;
using Strata.Storage.Segments.Codecs;

namespace Strata.Storage.Segments;

/// <content>
/// A block's checksum, header (fixed widths before version 5, varints since) and the keys it shares with an earlier
/// block (docs/format/segment.md, "Block" and "Shared keys").
/// </content>
public sealed unsafe partial class SegmentReader
{
    /// <summary>The block at <paramref name="offset"/> without its trailer, once its checksum is verified.</summary>
    private ReadOnlySpan<byte> VerifiedBody(long offset, int length)
    {
        var span = new ReadOnlySpan<byte>(_bytes + offset, length);
        var body = span[..^SegmentFormat.BlockTrailerSize];
        if (Crc32CHash.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(span[^SegmentFormat.BlockTrailerSize..]))
        {
            throw new SegmentCorruptException(Path, $"block at offset {offset}: checksum mismatch");
        }

        return body;
    }

    /// <param name="Size">Bytes of the header itself: the sections start there.</param>
    private readonly record struct BlockHeader(FieldType Type, bool SharedKeys, int Count, int TimesLength, int SeqsLength, int ValuesLength, int Size)
    {
        /// <summary>The whole block's bytes, trailer included, as the header declares them.</summary>
        public long Length => Size + (long)TimesLength + SeqsLength + ValuesLength + SegmentFormat.BlockTrailerSize;
    }

    private int MinBlockHeaderSize => MinBlockHeaderSizeOf(_version);

    /// <summary>The smallest header a block of a file of <paramref name="version"/> can have.</summary>
    private static int MinBlockHeaderSizeOf(ushort version) =>
        version >= SegmentFormat.VarintBlockHeaderVersion ? SegmentFormat.MinVarintBlockHeaderSize : SegmentFormat.BlockHeaderSize;

    /// <summary>
    /// The header at the start of <paramref name="bytes"/> (a block, or what may be one), as this file's version lays it
    /// out; the lengths are not yet checked against anything. Null when the bytes cannot hold one.
    /// </summary>
    private BlockHeader? ParseHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinBlockHeaderSize)
        {
            return null;
        }

        var type = (FieldType)bytes[0];
        var shared = bytes[1] == SegmentFormat.SharedKeysFlag;
        if (_version < SegmentFormat.VarintBlockHeaderVersion)
        {
            return new BlockHeader(type, shared, BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]),
                BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]), BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]), SegmentFormat.BlockHeaderSize);
        }

        var cursor = new BinaryReadCursor(bytes[2..Math.Min(bytes.Length, SegmentFormat.MaxVarintBlockHeaderSize)]);
        try
        {
            var count = cursor.VarU64();
            var times = cursor.VarU64();
            var seqs = cursor.VarU64();
            var values = cursor.VarU64();
            return count > int.MaxValue || times > int.MaxValue || seqs > int.MaxValue || values > int.MaxValue
                ? null
                : new BlockHeader(type, shared, (int)count, (int)times, (int)seqs, (int)values, 2 + cursor.Position);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Reads a verified block's header and checks that its sections fill the block exactly.</summary>
    private BlockHeader ReadHeader(ReadOnlySpan<byte> body, long offset)
    {
        var flags = body.Length > 1 ? body[1] : (byte)0;
        if (ParseHeader(body) is not { } header)
        {
            throw new SegmentCorruptException(Path, $"block at offset {offset}: header does not match the index");
        }

        if (flags != 0 && !(header.SharedKeys && _version >= SegmentFormat.SharedKeysVersion))
        {
            throw new SegmentCorruptException(Path, $"block at offset {offset}: flags {flags} unknown in segment version {_version}");
        }

        if (header.Count > SegmentFormat.MaxBlockValues || header.TimesLength < 0 || header.SeqsLength < 0 || header.ValuesLength < 0
            || (header.SharedKeys && header.SeqsLength != 0)
            || header.Length - SegmentFormat.BlockTrailerSize != body.Length)
        {
            throw new SegmentCorruptException(Path, $"block at offset {offset}: header does not match the index");
        }

        return header;
    }

    /// <summary>
    /// Decodes the keys a block shares with an earlier one: <paramref name="reference"/> holds that block's offset and
    /// the shift of its sequence numbers. The earlier block must end before this one starts and hold keys of its own.
    /// </summary>
    private void DecodeSharedKeys(ReadOnlySpan<byte> reference, long offset, int count, DecodeScratch scratch, bool raw)
    {
        var cursor = new BinaryReadCursor(reference);
        var source = cursor.VarU64();
        var seqShift = cursor.VarI64();
        if (!cursor.AtEnd || source < SegmentFormat.HeaderSize || source > (ulong)(offset - MinBlockHeaderSize - SegmentFormat.BlockTrailerSize))
        {
            throw new InvalidDataException($"shared keys refer to offset {source}, not an earlier block");
        }

        // The source's extent comes from its own header, which must lie, with the whole block, before this block.
        var sourceOffset = (long)source;
        var declared = ParseHeader(new ReadOnlySpan<byte>(_bytes + sourceOffset, (int)Math.Min(offset - sourceOffset, SegmentFormat.MaxVarintBlockHeaderSize)));
        if (declared is not { } declaredHeader || declaredHeader.TimesLength < 0 || declaredHeader.SeqsLength < 0 || declaredHeader.ValuesLength < 0
            || declaredHeader.Length > offset - sourceOffset)
        {
            throw new InvalidDataException($"shared keys refer to offset {source}, not an earlier block");
        }

        var body = VerifiedBody(sourceOffset, (int)declaredHeader.Length);
        var header = ReadHeader(body, sourceOffset);
        if (header.SharedKeys || header.Count != count)
        {
            throw new InvalidDataException($"shared keys refer to the block at offset {source}, whose keys do not fit");
        }

        var p = header.Size;
        TimestampCodec.Decode(body.Slice(p, header.TimesLength), scratch.Times.AsSpan(0, count));
        if (!raw)
        {
            var seqs = scratch.Seqs.AsSpan(0, count);
            TimestampCodec.Decode(body.Slice(p + header.TimesLength, header.SeqsLength), seqs);
            for (var i = 0; i < seqs.Length; i++)
            {
                seqs[i] = unchecked(seqs[i] + seqShift);
            }
        }
    }
}
