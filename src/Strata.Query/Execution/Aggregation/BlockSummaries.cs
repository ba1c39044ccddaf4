using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Strata.Query.Execution.Functions;
using Strata.Query.Planning;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// Count, sum, min and max of a run of decoded values, optionally only of those that pass <c>value op literal</c>
/// (query-language.md §6.6: NaN passes no comparison; an integer column against an integer literal compares as
/// int64, anything else as float64). Float runs go four lanes at a time, the comparison specialised per operator so
/// the loop has no branch per value; filtered and unfiltered runs add in the same lane order, so the same values give
/// the same sum either way. The lanes are four on every machine (256-bit vectors, or one value at a time where those
/// are missing) so that a sum does not change in its last bits with the CPU or the build (JIT or native) it ran on.
/// </summary>
internal static class BlockSummaries
{
    private const int Lanes = 4;

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
        if (values.Length >= 2 * Lanes)
        {
            Span<long> counts = stackalloc long[Lanes];
            Span<double> sums = stackalloc double[Lanes];
            Span<double> mins = stackalloc double[Lanes];
            Span<double> maxes = stackalloc double[Lanes];
            i = Vector256.IsHardwareAccelerated
                ? LanesVector<TOp>(values, literal, counts, sums, mins, maxes)
                : LanesScalar<TOp>(values, literal, counts, sums, mins, maxes);
            count = counts[0] + counts[1] + counts[2] + counts[3];
            sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
            for (var lane = 0; lane < Lanes; lane++)
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

    /// <summary>Lane <c>k</c> summarises values <c>k, k + 4, k + 8, …</c>, four at a time; returns how many values it took.</summary>
    internal static int LanesVector<TOp>(ReadOnlySpan<double> values, double literal, Span<long> counts, Span<double> sums, Span<double> mins, Span<double> maxes)
        where TOp : struct, IComparison
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var literals = Vector256.Create(literal);
        var laneCounts = Vector256<long>.Zero;
        var laneSums = Vector256<double>.Zero;
        var laneMins = Vector256.Create(double.MaxValue);
        var laneMaxes = Vector256.Create(double.MinValue);
        var i = 0;
        for (; i <= values.Length - Lanes; i += Lanes)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var pass = TOp.Passes(v, literals);
            laneCounts -= pass.AsInt64(); // a passing lane is all ones: -1
            laneSums += Vector256.ConditionalSelect(pass, v, Vector256<double>.Zero);
            laneMins = Vector256.ConditionalSelect(pass & Vector256.LessThan(v, laneMins), v, laneMins);
            laneMaxes = Vector256.ConditionalSelect(pass & Vector256.GreaterThan(v, laneMaxes), v, laneMaxes);
        }

        laneCounts.CopyTo(counts);
        laneSums.CopyTo(sums);
        laneMins.CopyTo(mins);
        laneMaxes.CopyTo(maxes);
        return i;
    }

    /// <summary><see cref="LanesVector{TOp}"/> one value at a time, for machines without 256-bit vectors: the same lanes, so the same sums to the last bit.</summary>
    internal static int LanesScalar<TOp>(ReadOnlySpan<double> values, double literal, Span<long> counts, Span<double> sums, Span<double> mins, Span<double> maxes)
        where TOp : struct, IComparison
    {
        counts.Clear();
        sums.Clear();
        mins.Fill(double.MaxValue);
        maxes.Fill(double.MinValue);
        var i = 0;
        for (; i <= values.Length - Lanes; i += Lanes)
        {
            for (var lane = 0; lane < Lanes; lane++)
            {
                var v = values[i + lane];
                if (TOp.Passes(v, literal))
                {
                    counts[lane]++;
                    sums[lane] += v;
                    mins[lane] = v < mins[lane] ? v : mins[lane];
                    maxes[lane] = v > maxes[lane] ? v : maxes[lane];
                }
            }
        }

        return i;
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
    internal interface IComparison
    {
        static abstract bool Passes(double value, double literal);

        static abstract bool Passes(long value, long literal);

        /// <summary>All ones in the lanes that pass.</summary>
        static abstract Vector256<double> Passes(Vector256<double> values, Vector256<double> literals);
    }

    internal readonly struct Always : IComparison
    {
        public static bool Passes(double value, double literal) => true;

        public static bool Passes(long value, long literal) => true;

        public static Vector256<double> Passes(Vector256<double> values, Vector256<double> literals) => Vector256<double>.AllBitsSet;
    }

    internal readonly struct Equal : IComparison
    {
        public static bool Passes(double value, double literal) => value == literal;

        public static bool Passes(long value, long literal) => value == literal;

        public static Vector256<double> Passes(Vector256<double> values, Vector256<double> literals) => Vector256.Equals(values, literals);
    }

    internal readonly struct NotEqual : IComparison
    {
        public static bool Passes(double value, double literal) => value != literal && !double.IsNaN(value);

        public static bool Passes(long value, long literal) => value != literal;

        public static Vector256<double> Passes(Vector256<double> values, Vector256<double> literals) =>
            Vector256.AndNot(Vector256.Equals(values, values), Vector256.Equals(values, literals));
    }

    internal readonly struct Less : IComparison
    {
        public static bool Passes(double value, double literal) => value < literal;

        public static bool Passes(long value, long literal) => value < literal;

        public static Vector256<double> Passes(Vector256<double> values, Vector256<double> literals) => Vector256.LessThan(values, literals);
    }

    internal readonly struct LessOrEqual : IComparison
    {
        public static bool Passes(double value, double literal) => value <= literal;

        public static bool Passes(long value, long literal) => value <= literal;

        public static Vector256<double> Passes(Vector256<double> values, Vector256<double> literals) => Vector256.LessThanOrEqual(values, literals);
    }

    internal readonly struct Greater : IComparison
    {
        public static bool Passes(double value, double literal) => value > literal;

        public static bool Passes(long value, long literal) => value > literal;

        public static Vector256<double> Passes(Vector256<double> values, Vector256<double> literals) => Vector256.GreaterThan(values, literals);
    }

    internal readonly struct GreaterOrEqual : IComparison
    {
        public static bool Passes(double value, double literal) => value >= literal;

        public static bool Passes(long value, long literal) => value >= literal;

        public static Vector256<double> Passes(Vector256<double> values, Vector256<double> literals) => Vector256.GreaterThanOrEqual(values, literals);
    }
}
