using CsCheck;
using Strata.Query.Execution.Aggregation;
using Strata.Core;
using Strata.Query.Planning;

namespace Strata.Query.Tests.Execution;

/// <summary>
/// The lane-wise summaries of decoded runs against a value-at-a-time model of query-language.md §6.6 (NaN passes no
/// comparison; min and max skip it, a NaN in an unfiltered run makes the sum NaN), the sum exact.
/// </summary>
public sealed class BlockSummariesTests
{
    private static readonly Gen<double> Value = Gen.OneOf(
        Gen.Int[-20, 20].Select(i => i / 4.0),
        Gen.Const(double.NaN),
        Gen.Const(-0.0),
        Gen.Double);

    private static readonly Gen<CompareOp> Op = Gen.Enum<CompareOp>();

    private static bool Passes(CompareOp op, double value, double literal) =>
        !double.IsNaN(value) && !double.IsNaN(literal) && op switch
        {
            CompareOp.Equal => value == literal,
            CompareOp.NotEqual => value != literal,
            CompareOp.Less => value < literal,
            CompareOp.LessOrEqual => value <= literal,
            CompareOp.Greater => value > literal,
            _ => value >= literal,
        };

    /// <summary>Summarises <paramref name="values"/> with <paramref name="summarise"/> and checks it against the passing values.</summary>
    private static void Check(Func<ExactSumBox, BlockSummaries.RunSummary> summarise, IReadOnlyList<double> passing, string because)
    {
        var box = new ExactSumBox();
        var actual = summarise(box);
        actual.Count.ShouldBe(passing.Count, because);
        BitConverter.DoubleToInt64Bits(box.Sum.Round()).ShouldBe(BitConverter.DoubleToInt64Bits(ExactSum.Of(passing.ToArray())), because);
        var untouched = new ExactSumBox { WithSum = false };
        summarise(untouched).Count.ShouldBe(passing.Count, because);
        untouched.Sum.Round().ShouldBe(0.0, because);
        if (passing.Count == 0)
        {
            return;
        }

        var numbers = passing.Where(v => !double.IsNaN(v)).ToList();
        actual.Min.ShouldBe(numbers.Count == 0 ? double.MaxValue : numbers.Min(), because);
        actual.Max.ShouldBe(numbers.Count == 0 ? double.MinValue : numbers.Max(), because);
    }

    /// <summary>An <see cref="ExactSum"/> the lambdas above can pass by reference.</summary>
    private sealed class ExactSumBox
    {
        public ExactSum Sum;

        public bool WithSum { get; init; } = true;
    }

    [Fact]
    public void FloatRuns_MatchTheValueAtATimeModel() =>
        Gen.Select(Value.Array[0, 40], Op, Value).Sample((values, op, literal) =>
        {
            Check(box => BlockSummaries.All(values, ref box.Sum, box.WithSum), values, "all");
            Check(box => BlockSummaries.Where(values, op, literal, ref box.Sum, box.WithSum), values.Where(v => Passes(op, v, literal)).ToList(), $"{op} {literal}");
        }, iter: 5000);

    [Fact]
    public void IntegerRuns_CompareAsInt64AgainstAnIntegerAndAsFloat64Otherwise() =>
        Gen.Select(Gen.Long[-5, 5].Array[0, 30], Op, Gen.Long[-5, 5], Gen.Int[-20, 20].Select(i => i / 4.0)).Sample((values, op, integer, fraction) =>
        {
            Check(box => BlockSummaries.All(values, ref box.Sum, box.WithSum), values.Select(v => (double)v).ToList(), "all");
            Check(box => BlockSummaries.Where(values, op, integer, ref box.Sum, box.WithSum), values.Where(v => Passes(op, v, integer)).Select(v => (double)v).ToList(), $"{op} {integer}");
            Check(box => BlockSummaries.Where(values, op, fraction, ref box.Sum, box.WithSum), values.Where(v => Passes(op, v, fraction)).Select(v => (double)v).ToList(), $"{op} {fraction}");
        }, iter: 3000);

    [Fact]
    public void IntegerRuns_CompareBeyondTwoToThe53Exactly()
    {
        // 2^53 + 1 is not a double: as int64 it is above 2^53, as float64 it would equal it.
        long[] values = [(1L << 53) + 1];
        var sum = default(ExactSum);
        BlockSummaries.Where(values, CompareOp.Greater, 1L << 53, ref sum, withSum: false).Count.ShouldBe(1);
        BlockSummaries.Where(values, CompareOp.Greater, (double)(1L << 53), ref sum, withSum: false).Count.ShouldBe(0);
    }

    [Fact]
    public void FloatSums_DoNotDependOnWhereARunIsCut() =>
        Gen.Select(Value.Array[0, 40], Op, Value, Gen.Int[0, 40]).Sample((values, op, literal, cut) =>
        {
            // A flush or a bucket boundary may cut a block anywhere: two runs must add up to what one run gives.
            cut = Math.Min(cut, values.Length);
            var whole = default(ExactSum);
            BlockSummaries.Where(values, op, literal, ref whole, withSum: true);
            var first = default(ExactSum);
            var second = default(ExactSum);
            BlockSummaries.Where(values.AsSpan(0, cut), op, literal, ref first, withSum: true);
            BlockSummaries.Where(values.AsSpan(cut), op, literal, ref second, withSum: true);
            first.Add(in second);
            BitConverter.DoubleToInt64Bits(first.Round()).ShouldBe(BitConverter.DoubleToInt64Bits(whole.Round()), $"{op} {literal} cut at {cut}");
        }, iter: 5000);

    [Fact]
    public void ScalarLanes_MatchVectorLanesBitForBit() =>
        Gen.Select(Value.Array[8, 40], Value).Sample((values, literal) =>
        {
            Same<BlockSummaries.Always>(values, literal);
            Same<BlockSummaries.NotEqual>(values, literal);
            Same<BlockSummaries.Less>(values, literal);
            Same<BlockSummaries.GreaterOrEqual>(values, literal);
        }, iter: 3000);

    private static void Same<TOp>(double[] values, double literal)
        where TOp : struct, BlockSummaries.IComparison
    {
        var (vectorCounts, vectorMins, vectorMaxes) = (new long[4], new double[4], new double[4]);
        var (scalarCounts, scalarMins, scalarMaxes) = (new long[4], new double[4], new double[4]);
        var vectorTaken = BlockSummaries.LanesVector<TOp>(values, literal, vectorCounts, vectorMins, vectorMaxes);
        BlockSummaries.LanesScalar<TOp>(values, literal, scalarCounts, scalarMins, scalarMaxes).ShouldBe(vectorTaken);
        scalarCounts.ShouldBe(vectorCounts, typeof(TOp).Name);
        BitsOf(scalarMins).ShouldBe(BitsOf(vectorMins), typeof(TOp).Name);
        BitsOf(scalarMaxes).ShouldBe(BitsOf(vectorMaxes), typeof(TOp).Name);
    }

    private static long[] BitsOf(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
