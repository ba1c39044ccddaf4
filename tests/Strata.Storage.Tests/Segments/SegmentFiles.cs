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

/// <summary>Tests of segment files: a temp directory of their own, W's time base and a column comparison.</summary>
public abstract class SegmentFileTest : IDisposable
{
    protected const long Base = 1_577_836_800_000_000;
    protected const long Step = 10_000_000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "strata-segment-tests", Guid.NewGuid().ToString("N"));

    protected SegmentFileTest() => Directory.CreateDirectory(_directory);

    /// <summary>The path of segment 1 in this test's directory.</summary>
    protected string SegmentPath => Path.Combine(_directory, SegmentFormat.FileName(1));

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes <paramref name="data"/> as column <paramref name="column"/> of series 1 into a segment file of its own (property samples run in parallel) and opens it.</summary>
    protected SegmentReader WriteSingleColumn(string column, ColumnData data)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.seg");
        using (var writer = new SegmentWriter(path))
        {
            writer.AddColumn(1, column, data);
            writer.Finish();
        }

        return SegmentReader.Open(path, 1);
    }

    protected static void ShouldHoldExactly(ColumnData actual, ColumnData expected)
    {
        actual.Times.ToArray().ShouldBe(expected.Times.ToArray());
        actual.Seqs.ToArray().ShouldBe(expected.Seqs.ToArray());
        actual.Values.ToArray().ShouldBe(expected.Values.ToArray());
    }
}
