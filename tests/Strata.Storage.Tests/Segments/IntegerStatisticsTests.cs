using CsCheck;
using Strata.Core;
using Strata.Storage.Segments;

namespace Strata.Storage.Tests.Segments;

/// <summary>
/// Version 4 keeps an integer block's statistics as varints when they are integers a double holds exactly, and as
/// doubles (its type byte flagged) when not; either way they read back as the writer computed them, the sum exact.
/// </summary>
public sealed class IntegerStatisticsTests : SegmentFileTest
{
    [Fact]
    public void IntegerStatistics_ReadBackAsComputed_WhateverTheMagnitude() =>
        Gen.Select(Gen.Int[0, 63], Gen.Int[1, 3000], Gen.Int).Sample((bits, count, seed) =>
        {
            var random = new Random(seed);
            var limit = bits == 63 ? long.MaxValue : 1L << bits;
            var data = new ColumnData(count);
            for (var i = 0; i < count; i++)
            {
                data.Add(Base + (i * Step), i + 1, FieldValue.FromInt64(random.NextInt64(-limit, limit)));
            }

            using var reader = WriteSingleColumn("n", data);
            var block = reader.GetBlocks(1, "n").ToArray().ShouldHaveSingleItem();
            var values = data.Values.ToArray().Select(v => v.AsInt64).ToList();
            (block.Min, block.Max).ShouldBe((values.Min(), values.Max()));
            ExactStatisticsTests.ShouldHoldTheExactSum(block, values.Select(v => (double)v));
            var output = new ColumnData();
            reader.ReadColumn(1, "n", long.MinValue, long.MaxValue, output);
            ShouldHoldExactly(output, data);
        }, iter: 200);

    [Fact]
    public void CompactStatistics_TakeLessIndexThanDoubles()
    {
        long IndexBytes(long scale)
        {
            var data = new ColumnData(1000);
            for (var i = 0; i < 1000; i++)
            {
                data.Add(Base + (i * Step), i + 1, FieldValue.FromInt64(i * scale));
            }

            var path = SegmentPath;
            File.Delete(path);
            using var writer = new SegmentWriter(path);
            writer.AddColumn(1, "n", data);
            writer.Finish();
            using var reader = SegmentReader.Open(path, 1);
            return new FileInfo(path).Length - reader.GetBlocks(1, "n")[0].Length;
        }

        // A counter (sum 499,500) against values past 2^53, whose statistics stay three doubles.
        (IndexBytes(1_000_000_000_000_000) - IndexBytes(1)).ShouldBeGreaterThanOrEqualTo(24 - 8);
    }

    /// <summary>Before version 4 no type byte carries the flag: a version 3 reader of such an index finds it corrupt.</summary>
    [Fact]
    public void TheDoubleStatisticsFlag_InAVersion3File_IsCorrupt()
    {
        var data = new ColumnData(10);
        for (var i = 0; i < 10; i++)
        {
            data.Add(Base + (i * Step), i + 1, FieldValue.FromInt64(long.MaxValue - i));
        }

        using (var writer = new SegmentWriter(SegmentPath))
        {
            writer.AddColumn(1, "n", data);
            writer.Finish();
        }

        SegmentFiles.SetVersion(SegmentPath, 3);
        Should.Throw<SegmentCorruptException>(() => SegmentReader.Open(SegmentPath, 1).Dispose()).Message.ShouldContain("unknown block type 130");
    }
}
