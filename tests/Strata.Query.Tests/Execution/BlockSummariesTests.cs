using CsCheck;
using Strata.Query.Execution.Aggregation;
using Strata.Query.Execution.Functions;
using Strata.Query.Planning;

namespace Strata.Query.Tests.Execution;

/// <summary>
/// The lane-wise summaries of decoded runs against a value-at-a-time model of query-language.md §6.6 (NaN passes no
/// comparison; min and max skip it, a NaN in an unfiltered run makes the sum NaN).
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

    private static void ShouldMatch(BlockSummary actual, IReadOnlyList<double> passing, string because)
    {
        actual.Count.ShouldBe(passing.Count, because);
        if (passing.Count == 0)
        {
            return;
        }

        var numbers = passing.Where(v => !double.IsNaN(v)).ToList();
        actual.Min.ShouldBe(numbers.Count == 0 ? double.MaxValue : numbers.Min(), because);
        actual.Max.ShouldBe(numbers.Count == 0 ? double.MinValue : numbers.Max(), because);
        var sum = passing.Sum();
        if (double.IsNaN(sum) || double.IsInfinity(sum) || passing.Any(double.IsInfinity))
        {
            actual.Sum.Equals(sum).ShouldBeTrue($"{because}: sum {actual.Sum}, expected {sum}");
        }
        else
        {
            actual.Sum.ShouldBe(sum, 1e-9 * passing.Sum(Math.Abs), because);
        }
    }

    [Fact]
    public void FloatRuns_MatchTheValueAtATimeModel() =>
        Gen.Select(Value.Array[0, 40], Op, Value).Sample((values, op, literal) =>
        {
            ShouldMatch(BlockSummaries.All(values), values, "all");
            ShouldMatch(BlockSummaries.Where(values, op, literal), values.Where(v => Passes(op, v, literal)).ToList(), $"{op} {literal}");
        }, iter: 5000);

    [Fact]
    public void IntegerRuns_CompareAsInt64AgainstAnIntegerAndAsFloat64Otherwise() =>
        Gen.Select(Gen.Long[-5, 5].Array[0, 30], Op, Gen.Long[-5, 5], Gen.Int[-20, 20].Select(i => i / 4.0)).Sample((values, op, integer, fraction) =>
        {
            ShouldMatch(BlockSummaries.All(values), values.Select(v => (double)v).ToList(), "all");
            ShouldMatch(BlockSummaries.Where(values, op, integer), values.Where(v => Passes(op, v, integer)).Select(v => (double)v).ToList(), $"{op} {integer}");
            ShouldMatch(BlockSummaries.Where(values, op, fraction), values.Where(v => Passes(op, v, fraction)).Select(v => (double)v).ToList(), $"{op} {fraction}");
        }, iter: 3000);

    [Fact]
    public void IntegerRuns_CompareBeyondTwoToThe53Exactly()
    {
        // 2^53 + 1 is not a double: as int64 it is above 2^53, as float64 it would equal it.
        long[] values = [(1L << 53) + 1];
        BlockSummaries.Where(values, CompareOp.Greater, 1L << 53).Count.ShouldBe(1);
        BlockSummaries.Where(values, CompareOp.Greater, (double)(1L << 53)).Count.ShouldBe(0);
    }

    [Fact]
    public void FloatSums_AddInFourLanesOnEveryMachine() =>
        Gen.Select(Value.Array[0, 40], Op, Value).Sample((values, op, literal) =>
        {
            // Lane k adds values k, k + 4, …; the lanes join as (0 + 1) + (2 + 3); a tail past the last four follows one
            // by one; runs shorter than eight go one by one. Bit for bit, whatever the vector width.
            var expected = FourLaneSum(values, v => Passes(op, v, literal));
            BlockSummaries.Where(values, op, literal).Sum.Equals(expected).ShouldBeTrue($"{op} {literal}: {BlockSummaries.Where(values, op, literal).Sum} vs {expected}");
            BlockSummaries.All(values).Sum.Equals(FourLaneSum(values, _ => true)).ShouldBeTrue("all");
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
        var (vectorCounts, vectorSums, vectorMins, vectorMaxes) = (new long[4], new double[4], new double[4], new double[4]);
        var (scalarCounts, scalarSums, scalarMins, scalarMaxes) = (new long[4], new double[4], new double[4], new double[4]);
        var vectorTaken = BlockSummaries.LanesVector<TOp>(values, literal, vectorCounts, vectorSums, vectorMins, vectorMaxes);
        BlockSummaries.LanesScalar<TOp>(values, literal, scalarCounts, scalarSums, scalarMins, scalarMaxes).ShouldBe(vectorTaken);
        scalarCounts.ShouldBe(vectorCounts, typeof(TOp).Name);
        BitsOf(scalarSums).ShouldBe(BitsOf(vectorSums), typeof(TOp).Name);
        BitsOf(scalarMins).ShouldBe(BitsOf(vectorMins), typeof(TOp).Name);
        BitsOf(scalarMaxes).ShouldBe(BitsOf(vectorMaxes), typeof(TOp).Name);
    }

    private static long[] BitsOf(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static double FourLaneSum(double[] values, Func<double, bool> passes)
    {
        var i = 0;
        double sum = 0;
        if (values.Length >= 8)
        {
            var lanes = new double[4];
            for (; i + 4 <= values.Length; i += 4)
            {
                for (var lane = 0; lane < 4; lane++)
                {
                    lanes[lane] += passes(values[i + lane]) ? values[i + lane] : 0;
                }
            }

            sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        }

        for (; i < values.Length; i++)
        {
            sum += passes(values[i]) ? values[i] : 0;
        }

        return sum;
    }
}
