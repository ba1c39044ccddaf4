using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Strata.Query.Execution.Functions;
using Strata.Query.Planning;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// Count, sum, min and max of a run of decoded values, optionally only of those that pass <c>value op literal</c>
/// (query-language.md §6.6: NaN passes no comparison; an integer column against an integer literal compares as
/// int64, anything else as float64). Float runs go <see cref="Vector{T}.Count"/> lanes at a time, the comparison
/// specialised per operator so the loop has no branch per value; filtered and unfiltered runs add in the same lane
/// order, so the same values give the same sum either way.
/// </summary>
internal static class BlockSummaries
{
    /// <summary>Every value (min and max skip NaNs; a NaN makes the sum NaN).</summary>
    public static BlockSummary All(ReadOnlySpan<double> values) => Where<Always>(values, 0);

    /// <summary>The values that pass <c>value op literal</c>.</summary>
    public static BlockSummary Where(ReadOnlySpan<double> values, CompareOp op, double literal)
    {
        if (double.IsNaN(literal))
        {
            return default;
        }

        return op switch
        {
            CompareOp.Equal => Where<Equal>(values, literal),
            CompareOp.NotEqual => Where<NotEqual>(values, literal),
            CompareOp.Less => Where<Less>(values, literal),
            CompareOp.LessOrEqual => Where<LessOrEqual>(values, literal),
            CompareOp.Greater => Where<Greater>(values, literal),
            _ => Where<GreaterOrEqual>(values, literal),
        };
    }

    /// <summary>Every integer value.</summary>
    public static BlockSummary All(ReadOnlySpan<long> values) => WhereInt<Always>(values, 0, 0, asDouble: false);

    /// <summary>The integer values that pass <c>value op literal</c>, compared as int64.</summary>
    public static BlockSummary Where(ReadOnlySpan<long> values, CompareOp op, long literal) => op switch
    {
        CompareOp.Equal => WhereInt<Equal>(values, literal, 0, asDouble: false),
        CompareOp.NotEqual => WhereInt<NotEqual>(values, literal, 0, asDouble: false),
        CompareOp.Less => WhereInt<Less>(values, literal, 0, asDouble: false),
        CompareOp.LessOrEqual => WhereInt<LessOrEqual>(values, literal, 0, asDouble: false),
        CompareOp.Greater => WhereInt<Greater>(values, literal, 0, asDouble: false),
        _ => WhereInt<GreaterOrEqual>(values, literal, 0, asDouble: false),
    };

    /// <summary>The integer values that pass <c>value op literal</c>, compared as float64.</summary>
    public static BlockSummary Where(ReadOnlySpan<long> values, CompareOp op, double literal)
    {
        if (double.IsNaN(literal))
        {
            return default;
        }

        return op switch
        {
            CompareOp.Equal => WhereInt<Equal>(values, 0, literal, asDouble: true),
            CompareOp.NotEqual => WhereInt<NotEqual>(values, 0, literal, asDouble: true),
            CompareOp.Less => WhereInt<Less>(values, 0, literal, asDouble: true),
            CompareOp.LessOrEqual => WhereInt<LessOrEqual>(values, 0, literal, asDouble: true),
            CompareOp.Greater => WhereInt<Greater>(values, 0, literal, asDouble: true),
            _ => WhereInt<GreaterOrEqual>(values, 0, literal, asDouble: true),
        };
    }

    private static BlockSummary Where<TOp>(ReadOnlySpan<double> values, double literal)
        where TOp : struct, IComparison
    {
        var i = 0;
        long count = 0;
        double sum = 0, min = double.MaxValue, max = double.MinValue;
        ref var start = ref MemoryMarshal.GetReference(values);
        if (Vector.IsHardwareAccelerated && values.Length >= 2 * Vector<double>.Count)
        {
            var literals = new Vector<double>(literal);
            var counts = Vector<long>.Zero;
            var sums = Vector<double>.Zero;
            var mins = new Vector<double>(double.MaxValue);
            var maxes = new Vector<double>(double.MinValue);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var v = Vector.LoadUnsafe(ref start, (nuint)i);
                var pass = TOp.Passes(v, literals);
                counts -= pass; // a passing lane is all ones: -1
                sums += Vector.ConditionalSelect(pass, v, Vector<double>.Zero);
                mins = Vector.ConditionalSelect(pass & Vector.LessThan(v, mins), v, mins);
                maxes = Vector.ConditionalSelect(pass & Vector.GreaterThan(v, maxes), v, maxes);
            }

            count = Vector.Sum(counts);
            sum = Vector.Sum(sums);
            for (var lane = 0; lane < Vector<double>.Count; lane++)
            {
                min = mins[lane] < min ? mins[lane] : min;
                max = maxes[lane] > max ? maxes[lane] : max;
            }
        }

        for (; i < values.Length; i++)
        {
            var v = Unsafe.Add(ref start, i);
            if (TOp.Passes(v, literal))
            {
                count++;
                sum += v;
                min = v < min ? v : min;
                max = v > max ? v : max;
            }
        }

        return new BlockSummary(count, sum, min, max);
    }

    /// <param name="asDouble">Compare each value converted to float64 against <paramref name="literal"/> instead of as int64 against <paramref name="intLiteral"/>.</param>
    private static BlockSummary WhereInt<TOp>(ReadOnlySpan<long> values, long intLiteral, double literal, bool asDouble)
        where TOp : struct, IComparison
    {
        long count = 0;
        double sum = 0, min = double.MaxValue, max = double.MinValue;
        foreach (var n in values)
        {
            double v = n;
            if (asDouble ? TOp.Passes(v, literal) : TOp.Passes(n, intLiteral))
            {
                count++;
                sum += v;
                min = v < min ? v : min;
                max = v > max ? v : max;
            }
        }

        return new BlockSummary(count, sum, min, max);
    }

    /// <summary>One comparison operator, for a value, a lane of values and an integer.</summary>
    private interface IComparison
    {
        static abstract bool Passes(double value, double literal);

        static abstract bool Passes(long value, long literal);

        /// <summary>All ones in the lanes that pass.</summary>
        static abstract Vector<long> Passes(Vector<double> values, Vector<double> literals);
    }

    private readonly struct Always : IComparison
    {
        public static bool Passes(double value, double literal) => true;

        public static bool Passes(long value, long literal) => true;

        public static Vector<long> Passes(Vector<double> values, Vector<double> literals) => Vector<long>.AllBitsSet;
    }

    private readonly struct Equal : IComparison
    {
        public static bool Passes(double value, double literal) => value == literal;

        public static bool Passes(long value, long literal) => value == literal;

        public static Vector<long> Passes(Vector<double> values, Vector<double> literals) => Vector.Equals(values, literals);
    }

    private readonly struct NotEqual : IComparison
    {
        public static bool Passes(double value, double literal) => value != literal && !double.IsNaN(value);

        public static bool Passes(long value, long literal) => value != literal;

        public static Vector<long> Passes(Vector<double> values, Vector<double> literals) =>
            Vector.AndNot(Vector.Equals(values, values), Vector.Equals(values, literals));
    }

    private readonly struct Less : IComparison
    {
        public static bool Passes(double value, double literal) => value < literal;

        public static bool Passes(long value, long literal) => value < literal;

        public static Vector<long> Passes(Vector<double> values, Vector<double> literals) => Vector.LessThan(values, literals);
    }

    private readonly struct LessOrEqual : IComparison
    {
        public static bool Passes(double value, double literal) => value <= literal;

        public static bool Passes(long value, long literal) => value <= literal;

        public static Vector<long> Passes(Vector<double> values, Vector<double> literals) => Vector.LessThanOrEqual(values, literals);
    }

    private readonly struct Greater : IComparison
    {
        public static bool Passes(double value, double literal) => value > literal;

        public static bool Passes(long value, long literal) => value > literal;

        public static Vector<long> Passes(Vector<double> values, Vector<double> literals) => Vector.GreaterThan(values, literals);
    }

    private readonly struct GreaterOrEqual : IComparison
    {
        public static bool Passes(double value, double literal) => value >= literal;

        public static bool Passes(long value, long literal) => value >= literal;

        public static Vector<long> Passes(Vector<double> values, Vector<double> literals) => Vector.GreaterThanOrEqual(values, literals);
    }
}
