using System.Buffers.Binary;
using Strata.Storage.IO;
using Strata.Storage.Segments;

namespace Strata.Storage.Tests.Segments;

internal static class SegmentFiles
{
    /// <summary>Rewrites the version in a segment's header and footer (and the footer's checksum).</summary>
    public static void SetVersion(string segment, ushort version)
    {
        var bytes = File.ReadAllBytes(segment);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), version);
        var footer = bytes.AsSpan(bytes.Length - SegmentFormat.FooterSize);
        BinaryPrimitives.WriteUInt16LittleEndian(footer[24..], version);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[28..], Crc32CHash.Compute(footer[..28]));
        File.WriteAllBytes(segment, bytes);
    }

    /// <summary>Edits a block's bytes and puts its checksum right, so only the edit is wrong.</summary>
    public static void EditBlock(string path, BlockMeta block, Action<Span<byte>> edit)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan((int)block.Offset, block.Length);
        edit(span[..^SegmentFormat.BlockTrailerSize]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^SegmentFormat.BlockTrailerSize..], Crc32CHash.Compute(span[..^SegmentFormat.BlockTrailerSize]));
        File.WriteAllBytes(path, bytes);
    }
}
