using Strata.Core;
using Strata.Storage.Segments;

namespace Strata.Storage.Tests.Segments;

/// <summary>
/// Segments written by earlier builds stay readable. <c>Fixtures/version2.seg</c> was written by the build of
/// commit 3b7531f (segment version 2), <c>Fixtures/version3.seg</c> by that of 0ec8145 (version 3) and
/// <c>Fixtures/version4.seg</c> by that of 54d86ab (version 4, the last with fixed-size block headers) and
/// <c>Fixtures/version5.seg</c> by that of f1a1c96 (version 5, the last whose sums were added in order), all from the
/// columns <see cref="Expected"/> builds again here.
/// </summary>
public sealed class OlderVersionsTests : SegmentFileTest
{
    private static ColumnData Column(int count, uint series, Func<int, FieldValue> value)
    {
        var data = new ColumnData(count);
        for (var i = 0; i < count; i++)
        {
            data.Add(Base + (i * Step), 10_001 + (i * 10_000L) + series, value(i));
        }

        return data;
    }

    private static (uint Series, string Column, ColumnData Data)[] Expected() =>
    [
        (1, "count", Column(1500, 1, i => FieldValue.FromInt64(i * 3))),
        (1, "value", Column(1500, 1, i => FieldValue.FromDouble(Math.Round(50 + (i * 0.37 % 7), 2)))),
        (7, "flag", Column(10, 7, i => FieldValue.FromBool(i % 3 == 0))),
        (7, "text", Column(10, 7, i => FieldValue.FromString("host" + i))),
    ];

    /// <summary>A copy of the fixture, with its version rewritten to <paramref name="version"/>.</summary>
    private string Fixture(ushort version)
    {
        var path = SegmentPath;
        var written = version >= 3 ? version : (ushort)2;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Segments", "Fixtures", $"version{written}.seg"), path);
        File.ReadAllBytes(path).AsSpan(8, 2).ToArray().ShouldBe(new byte[] { (byte)written, 0 });
        if (version != written)
        {
            SegmentFiles.SetVersion(path, version);
        }

        return path;
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    [InlineData(3)]
    [InlineData(2)]
    [InlineData(1)] // version 1 files never used the runs layout; otherwise they are version 2's bytes
    public void ASegmentOfAnOlderVersion_ReadsBackEveryColumnExactly(ushort version)
    {
        using var reader = SegmentReader.Open(Fixture(version), 1);
        reader.ValueCount.ShouldBe(3020);
        reader.GetBlocks(1, "value").Length.ShouldBe(version >= 3 ? 1 : 2); // 1,000-value blocks before version 3
        (reader.Seqs.Min, reader.Seqs.Max).ShouldBe(version >= 3 ? (10_002, 15_000_002) : (long.MinValue, long.MaxValue)); // recorded from version 3
        foreach (var (series, column, data) in Expected())
        {
            var output = new ColumnData();
            reader.ReadColumn(series, column, long.MinValue, long.MaxValue, output);
            ShouldHoldExactly(output, data);
            foreach (var block in reader.GetBlocks(series, column))
            {
                // The statistics read as the writer computed them: min, max and sum in order, as doubles. That sum is
                // not known to be exact, so sums and means decode these blocks.
                var values = data.Values.ToArray().Where(v => v.Type == block.Type && block.HasStats).Select(v => v.Type == FieldType.Int64 ? v.AsInt64 : v.AsDouble).ToList();
                if (values.Count > 0 && block.Count == data.Count)
                {
                    (block.Min, block.Max, block.Sum).ShouldBe((values.Min(), values.Max(), values.Aggregate(0.0, (sum, v) => sum + v)));
                    block.HasExactSum.ShouldBeFalse();
                }
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void ASharedKeysFlagInAnOlderVersion_IsCorrupt(ushort version)
    {
        var path = Fixture(version);
        BlockMeta block;
        using (var reader = SegmentReader.Open(path, 1))
        {
            block = reader.GetBlocks(1, "value")[0];
        }

        SegmentFiles.EditBlock(path, block, body => body[1] = SegmentFormat.SharedKeysFlag);
        using var edited = SegmentReader.Open(path, 1);
        Should.Throw<SegmentCorruptException>(() => edited.ReadColumn(1, "value", long.MinValue, long.MaxValue, new ColumnData()))
            .Message.ShouldContain($"flags 1 unknown in segment version {version}");
        var count = new ColumnData();
        edited.ReadColumn(1, "count", long.MinValue, long.MaxValue, count);
        count.Count.ShouldBe(1500);
    }
}
