using System.Buffers.Binary;
using Strata.Core;
using Strata.Storage.Segments;

namespace Strata.Storage.Tests.Segments;

/// <summary>
/// Segment format version 3: blocks that share an earlier block's keys, blocks of up to 8,192 values, and the range of
/// sequence numbers in the index.
/// </summary>
public sealed class SharedKeysTests : SegmentFileTest
{
    /// <summary>
    /// Points written together, as a collector's request writes them: the same times for every series,
    /// sequence numbers that step by <paramref name="seqStep"/> and start at <paramref name="firstSeq"/> (wrapping).
    /// </summary>
    private static ColumnData Column(int count, long firstSeq, long seqStep, Func<int, FieldValue> value)
    {
        var data = new ColumnData(count);
        for (var i = 0; i < count; i++)
        {
            data.Add(Base + (i * Step), unchecked(firstSeq + (i * seqStep)), value(i));
        }

        return data;
    }

    private string Write(params (uint Series, string Column, ColumnData Data)[] columns)
    {
        var path = SegmentPath;
        using var writer = new SegmentWriter(path);
        foreach (var (series, column, data) in columns)
        {
            writer.AddColumn(series, column, data);
        }

        writer.Finish();
        return path;
    }

    private static ColumnData Read(SegmentReader reader, uint series, string column)
    {
        var output = new ColumnData();
        reader.ReadColumn(series, column, long.MinValue, long.MaxValue, output);
        return output;
    }

    private static byte Flags(string path, BlockMeta block) => File.ReadAllBytes(path)[block.Offset + 1];

    [Fact]
    public void SeriesAndColumnsWrittenTogether_ShareTheFirstBlocksKeysAndReadBackExactly()
    {
        var columns = new List<(uint, string, ColumnData)>();
        for (uint s = 1; s <= 20; s++)
        {
            // One request: series s's point i has seq 10001 + i * 10000 + s; the second column shares the series' keys.
            columns.Add((s, "a", Column(2500, 10_001 + s, 10_000, i => FieldValue.FromDouble(Math.Round(50 + Math.Sin(i + s), 2)))));
            columns.Add((s, "b", Column(2500, 10_001 + s, 10_000, i => FieldValue.FromInt64(i * s))));
        }

        var path = Write([.. columns]);
        using var reader = SegmentReader.Open(path, 1);
        var first = reader.GetBlocks(1, "a");
        first.Length.ShouldBe(1);
        Flags(path, first[0]).ShouldBe((byte)0);
        foreach (var (series, column, data) in columns)
        {
            var blocks = reader.GetBlocks(series, column);
            if (series != 1 || column != "a")
            {
                Flags(path, blocks[0]).ShouldBe(SegmentFormat.SharedKeysFlag);
            }

            ShouldHoldExactly(Read(reader, series, column), data);
        }

        // 40 blocks, one set of keys: what the others store in their place is a few bytes.
        new FileInfo(path).Length.ShouldBeLessThan(20 * 2500 * 3);
    }

    [Fact]
    public void SharedSequenceNumbers_WrapAroundTheInt64Range()
    {
        var low = Column(50, long.MaxValue - 3_000, 100, i => FieldValue.FromInt64(i));
        var wrapped = Column(50, long.MinValue + 7, 100, i => FieldValue.FromInt64(-i));
        var path = Write((1, "v", low), (2, "v", wrapped));
        using var reader = SegmentReader.Open(path, 1);
        Flags(path, reader.GetBlocks(2, "v")[0]).ShouldBe(SegmentFormat.SharedKeysFlag);
        ShouldHoldExactly(Read(reader, 1, "v"), low);
        ShouldHoldExactly(Read(reader, 2, "v"), wrapped);
    }

    [Fact]
    public void KeysThatDifferInOneTimeOrOneSeqStep_AreNotShared()
    {
        var original = Column(300, 1, 1, i => FieldValue.FromDouble(i));
        var otherTime = Replace(Column(300, 1, 1, i => FieldValue.FromDouble(i)), 299, Base + (300 * Step), 300);
        var otherSeq = Replace(Column(300, 1, 1, i => FieldValue.FromDouble(i)), 150, Base + (150 * Step), 1_000);
        var path = Write((1, "v", original), (2, "v", otherTime), (3, "v", otherSeq));
        using var reader = SegmentReader.Open(path, 1);
        Flags(path, reader.GetBlocks(2, "v")[0]).ShouldBe((byte)0);
        Flags(path, reader.GetBlocks(3, "v")[0]).ShouldBe((byte)0);
        ShouldHoldExactly(Read(reader, 2, "v"), otherTime);
        ShouldHoldExactly(Read(reader, 3, "v"), otherSeq);
    }

    /// <summary>
    /// Two key sets that take turns, as each series' full block and its shorter last block do on workload W: here
    /// three integers and then two floats per series (a block is a run of one type), for 200 such pairs of key
    /// sets. Every block after a pair's first series refers to that series' blocks, whatever the keys hash to.
    /// </summary>
    [Fact]
    public void KeySetsThatTakeTurns_AreEachShared()
    {
        const int Pairs = 200, SeriesPerPair = 3;
        var columns = new List<(uint, string, ColumnData)>();
        for (var p = 0; p < Pairs; p++)
        {
            for (var s = 0; s < SeriesPerPair; s++)
            {
                var data = new ColumnData(5);
                for (var i = 0; i < 5; i++)
                {
                    var time = Base + (((p * 10) + i) * Step);
                    var seq = 1 + (p * 100_000) + (i * 1_000) + s;
                    data.Add(time, seq, i < 3 ? FieldValue.FromInt64(i + s) : FieldValue.FromDouble(i + (s * 0.5)));
                }

                columns.Add(((uint)((p * SeriesPerPair) + s + 1), "v", data));
            }
        }

        var path = Write([.. columns]);
        using var reader = SegmentReader.Open(path, 1);
        var unshared = 0;
        foreach (var (series, column, data) in columns)
        {
            var blocks = reader.GetBlocks(series, column);
            blocks.Length.ShouldBe(2);
            foreach (var block in blocks)
            {
                unshared += Flags(path, block) == SegmentFormat.SharedKeysFlag ? 0 : 1;
            }

            ShouldHoldExactly(Read(reader, series, column), data);
        }

        unshared.ShouldBe(Pairs * 2);
    }

    private static ColumnData Replace(ColumnData data, int index, long time, long seq)
    {
        var copy = new ColumnData(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            copy.Add(i == index ? time : data.Times[i], i == index ? seq : data.Seqs[i], data.Values[i]);
        }

        return copy;
    }

    [Fact]
    public void TheIndexRecordsTheSmallestAndLargestSequenceNumber()
    {
        var path = Write(
            (1, "a", Column(10, -40, 3, i => FieldValue.FromInt64(i))),
            (2, "b", Column(10, 7_000, -700, i => FieldValue.FromInt64(i))));
        using var reader = SegmentReader.Open(path, 1);
        (reader.Seqs.Min, reader.Seqs.Max).ShouldBe((-40L, 7_000L));
    }

    [Fact]
    public void LongColumns_AreCutIntoBlocksOfUpTo8192Values()
    {
        var data = Column(20_000, 5, 3, i => FieldValue.FromDouble(i * 0.5));
        var path = Write((1, "v", data));
        using var reader = SegmentReader.Open(path, 1);
        var counts = new List<int>();
        foreach (var block in reader.GetBlocks(1, "v"))
        {
            counts.Add(block.Count);
        }

        counts.ShouldBe([8192, 8192, 3616]);
        ShouldHoldExactly(Read(reader, 1, "v"), data);
    }

    /// <summary>Three series with the same 3 keys: the second and third blocks refer to the first, all within the first 128 bytes.</summary>
    private (string Path, BlockMeta[] Blocks) ThreeSharingBlocks()
    {
        var path = Write(
            (1, "v", Column(3, 10, 10, i => FieldValue.FromInt64(i))),
            (2, "v", Column(3, 11, 10, i => FieldValue.FromInt64(i))),
            (3, "v", Column(3, 12, 10, i => FieldValue.FromInt64(i))));
        using var reader = SegmentReader.Open(path, 1);
        BlockMeta[] blocks = [reader.GetBlocks(1, "v")[0], reader.GetBlocks(2, "v")[0], reader.GetBlocks(3, "v")[0]];
        blocks[0].Offset.ShouldBe(SegmentFormat.HeaderSize);
        blocks[2].Offset.ShouldBeLessThan(128);
        Flags(path, blocks[1]).ShouldBe(SegmentFormat.SharedKeysFlag);
        Flags(path, blocks[2]).ShouldBe(SegmentFormat.SharedKeysFlag);
        return (path, blocks);
    }

    /// <summary>
    /// The reference's first byte (the source offset, one varint byte while it is below 128), after a header whose
    /// count and section lengths are one varint byte each: type, flags, count, times, seqs and values length.
    /// </summary>
    private const int ReferenceOffset = SegmentFormat.MinVarintBlockHeaderSize;

    [Theory]
    [InlineData(0)]      // the file header
    [InlineData(13)]     // inside the first block
    [InlineData(127)]    // past the referring block
    public void AReferenceThatIsNotAnEarlierBlock_IsCorrupt(byte source)
    {
        var (path, blocks) = ThreeSharingBlocks();
        SegmentFiles.EditBlock(path, blocks[1], body => body[ReferenceOffset] = source);
        using var reader = SegmentReader.Open(path, 1);
        Should.Throw<SegmentCorruptException>(() => Read(reader, 2, "v"));
        Read(reader, 1, "v").Count.ShouldBe(3);
    }

    [Fact]
    public void AReferenceToABlockThatSharesKeysItself_IsCorrupt()
    {
        var (path, blocks) = ThreeSharingBlocks();
        SegmentFiles.EditBlock(path, blocks[2], body => body[ReferenceOffset] = (byte)blocks[1].Offset);
        using var reader = SegmentReader.Open(path, 1);
        Should.Throw<SegmentCorruptException>(() => Read(reader, 3, "v")).Message.ShouldContain("keys do not fit");
        Read(reader, 2, "v").Count.ShouldBe(3);
    }

    [Fact]
    public void AReferenceToABlockOfAnotherLength_IsCorrupt()
    {
        var (path, blocks) = ThreeSharingBlocks();
        SegmentFiles.EditBlock(path, blocks[0], body =>
        {
            body[2].ShouldBe((byte)3, "the count");
            body[2] = 2;
        });
        using var reader = SegmentReader.Open(path, 1);
        Should.Throw<SegmentCorruptException>(() => Read(reader, 2, "v")).Message.ShouldContain("keys do not fit");
    }

    [Fact]
    public void ASharedBlockThatAlsoStoresSequenceNumbers_IsCorrupt()
    {
        var (path, blocks) = ThreeSharingBlocks();
        SegmentFiles.EditBlock(path, blocks[1], body =>
        {
            // Moves the first byte of the values into a seqs section: the sections still fill the block.
            body[4].ShouldBe((byte)0, "the seqs length");
            body[4] = 1;
            body[5]--;
        });
        using var reader = SegmentReader.Open(path, 1);
        Should.Throw<SegmentCorruptException>(() => Read(reader, 2, "v")).Message.ShouldContain("header does not match");
    }

    [Fact]
    public void AnUnknownBlockFlag_IsCorrupt()
    {
        var (path, blocks) = ThreeSharingBlocks();
        SegmentFiles.EditBlock(path, blocks[0], body => body[1] = 2);
        using var reader = SegmentReader.Open(path, 1);
        Should.Throw<SegmentCorruptException>(() => Read(reader, 1, "v")).Message.ShouldContain($"flags 2 unknown in segment version {SegmentFormat.Version}");
    }
}
