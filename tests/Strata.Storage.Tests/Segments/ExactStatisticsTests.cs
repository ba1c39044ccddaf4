using CsCheck;
using Strata.Core;
using Strata.Storage.Segments;

namespace Strata.Storage.Tests.Segments;

/// <summary>
/// Version 6 keeps a block's exact sum in the index: the f64 sum rounded once, and when that is not all of it the f64
/// that completes it (type byte flagged), or NaN when two doubles cannot hold it.
/// </summary>
public sealed class ExactStatisticsTests : SegmentFileTest
{
    /// <summary>The block's Sum is the values' exact sum rounded once, and Sum + SumLow is that exact sum when it says so.</summary>
    internal static void ShouldHoldTheExactSum(BlockMeta block, IEnumerable<double> values)
    {
        var exact = default(ExactSum);
        foreach (var value in values)
        {
            exact.Add(value);
        }

        block.Sum.ShouldBe(exact.Round());
        block.HasExactSum.ShouldBe(exact.TryGetPair(out _, out var low));
        if (block.HasExactSum)
        {
            block.SumLow.ShouldBe(low);
        }
    }

    private static readonly Gen<double> Reading = Gen.OneOf(
        Gen.Int[-100_000, 100_000].Select(n => n / 100.0),
        Gen.Double[-1e6, 1e6],
        Gen.OneOf(Gen.Const(1e300), Gen.Const(1.0), Gen.Const(1e-300)));

    [Fact]
    public void FloatStatistics_HoldTheExactSum() =>
        Reading.Array[1, 2000].Sample(values =>
        {
            using var reader = WriteSingleColumn("v", Column(values));
            var block = reader.GetBlocks(1, "v").ToArray().ShouldHaveSingleItem();
            ShouldHoldTheExactSum(block, values);
            (block.Min, block.Max).ShouldBe((values.Min(), values.Max()));
        }, iter: 200);

    [Fact]
    public void ASumThatIsNotTwoDoubles_IsMarkedNotExact()
    {
        Write(1e300, 1.0, 1e-300);
        using var reader = SegmentReader.Open(SegmentPath, 1);
        var block = reader.GetBlocks(1, "v")[0];
        block.Sum.ShouldBe(1e300);
        block.HasExactSum.ShouldBeFalse();
    }

    [Fact]
    public void AnExactSumOfOneDouble_TakesNoMoreIndex()
    {
        long IndexBytes(params double[] values)
        {
            File.Delete(SegmentPath);
            Write(values);
            using var reader = SegmentReader.Open(SegmentPath, 1);
            return new FileInfo(SegmentPath).Length - reader.GetBlocks(1, "v")[0].Length;
        }

        // 0.5 + 0.25 is one double; 0.1 + 0.2 + 0.3 needs a second (0.6 and the 5.55e-17 it leaves out).
        IndexBytes(0.1, 0.2, 0.3).ShouldBe(IndexBytes(0.5, 0.25, 0.125) + 8);
    }

    /// <summary>Before version 6 no type byte carries the flag: a version 5 reader of such an index finds it corrupt.</summary>
    [Fact]
    public void TheSumLowFlag_InAVersion5File_IsCorrupt()
    {
        Write(0.1, 0.2, 0.3);
        SegmentFiles.SetVersion(SegmentPath, 5);
        Should.Throw<SegmentCorruptException>(() => SegmentReader.Open(SegmentPath, 1).Dispose()).Message.ShouldContain("unknown block type 67");
    }

    /// <summary>The values as float points 10 s apart.</summary>
    private static ColumnData Column(double[] values)
    {
        var data = new ColumnData(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            data.Add(Base + (i * Step), i + 1, FieldValue.FromDouble(values[i]));
        }

        return data;
    }

    /// <summary>The values as column v of series 1 in the segment at <see cref="SegmentFileTest.SegmentPath"/>.</summary>
    private void Write(params double[] values)
    {
        using var writer = new SegmentWriter(SegmentPath);
        writer.AddColumn(1, "v", Column(values));
        writer.Finish();
    }
}
