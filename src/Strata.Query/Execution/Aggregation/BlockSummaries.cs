using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Strata.Core;
using Strata.Query.Planning;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// Count, min and max of a run of decoded values, and when asked their exact sum (<see cref="ExactSum"/>), optionally
/// only of those that pass <c>value op literal</c> (query-language.md §6.6: NaN passes no comparison; an integer
/// column against an integer literal compares as int64, anything else as float64). Float runs go four lanes at a
/// time, the comparison specialised per operator so the loop has no branch per value. The lanes are four on every
/// machine (256-bit vectors, or one value at a time where those are missing) so that which of a 0 and a −0 is the
/// minimum does not change with the CPU or the build (JIT or native) it ran on; the sum is exact, so its order is free.
/// </summary>
internal static class BlockSummaries
{
    private const int Lanes = 4;

    /// <summary>Values gathered on the stack at a time for the exact sum (2 KB).</summary>
    private const int SumChunk = 256;

    /// <summary>Every value (min and max skip NaNs; a NaN makes the sum NaN); the sum goes into <paramref name="sum"/> when <paramref name="withSum"/>.</summary>
    public static RunSummary All(ReadOnlySpan<double> values, ref ExactSum sum, bool withSum) => Where<Always>(values, 0, ref sum, withSum);

    /// <summary>The values that pass <c>value op literal</c>; their sum goes into <paramref name="sum"/> when <paramref name="withSum"/>.</summary>
    public static RunSummary Where(ReadOnlySpan<double> values, CompareOp op, double literal, ref ExactSum sum, bool withSum)
    {
        if (double.IsNaN(literal))
        {
            return RunSummary.Empty;
        }

        return op switch
        {
            CompareOp.Equal => Where<Equal>(values, literal, ref sum, withSum),
            CompareOp.NotEqual => Where<NotEqual>(values, literal, ref sum, withSum),
            CompareOp.Less => Where<Less>(values, literal, ref sum, withSum),
            CompareOp.LessOrEqual => Where<LessOrEqual>(values, literal, ref sum, withSum),
            CompareOp.Greater => Where<Greater>(values, literal, ref sum, withSum),
            _ => Where<GreaterOrEqual>(values, literal, ref sum, withSum),
        };
    }

    /// <summary>Every integer value.</summary>
    public static RunSummary All(ReadOnlySpan<long> values, ref ExactSum sum, bool withSum) =>
        WhereInt<Always>(values, 0, 0, asDouble: false, ref sum, withSum);

    /// <summary>The integer values that pass <c>value op literal</c>, compared as int64.</summary>
    public static RunSummary Where(ReadOnlySpan<long> values, CompareOp op, long literal, ref ExactSum sum, bool withSum) => op switch
    {
        CompareOp.Equal => WhereInt<Equal>(values, literal, 0, asDouble: false, ref sum, withSum),
        CompareOp.NotEqual => WhereInt<NotEqual>(values, literal, 0, asDouble: false, ref sum, withSum),
        CompareOp.Less => WhereInt<Less>(values, literal, 0, asDouble: false, ref sum, withSum),
        CompareOp.LessOrEqual => WhereInt<LessOrEqual>(values, literal, 0, asDouble: false, ref sum, withSum),
        CompareOp.Greater => WhereInt<Greater>(values, literal, 0, asDouble: false, ref sum, withSum),
        _ => WhereInt<GreaterOrEqual>(values, literal, 0, asDouble: false, ref sum, withSum),
    };

    /// <summary>The integer values that pass <c>value op literal</c>, compared as float64.</summary>
    public static RunSummary Where(ReadOnlySpan<long> values, CompareOp op, double literal, ref ExactSum sum, bool withSum)
    {
        if (double.IsNaN(literal))
        {
            return RunSummary.Empty;
        }

        return op switch
        {
            CompareOp.Equal => WhereInt<Equal>(values, 0, literal, asDouble: true, ref sum, withSum),
            CompareOp.NotEqual => WhereInt<NotEqual>(values, 0, literal, asDouble: true, ref sum, withSum),
            CompareOp.Less => WhereInt<Less>(values, 0, literal, asDouble: true, ref sum, withSum),
            CompareOp.LessOrEqual => WhereInt<LessOrEqual>(values, 0, literal, asDouble: true, ref sum, withSum),
            CompareOp.Greater => WhereInt<Greater>(values, 0, literal, asDouble: true, ref sum, withSum),
            _ => WhereInt<GreaterOrEqual>(values, 0, literal, asDouble: true, ref sum, withSum),
        };
    }

    private static RunSummary Where<TOp>(ReadOnlySpan<double> values, double literal, ref ExactSum sum, bool withSum)
        where TOp : struct, IComparison
    {
        var i = 0;
        long count = 0;
        double min = double.MaxValue, max = double.MinValue;
        ref var start = ref MemoryMarshal.GetReference(values);
        if (values.Length >= 2 * Lanes)
        {
            Span<long> counts = stackalloc long[Lanes];
            Span<double> mins = stackalloc double[Lanes];
            Span<double> maxes = stackalloc double[Lanes];
            i = Vector256.IsHardwareAccelerated
                ? LanesVector<TOp>(values, literal, counts, mins, maxes)
                : LanesScalar<TOp>(values, literal, counts, mins, maxes);
            count = counts[0] + counts[1] + counts[2] + counts[3];
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
                min = v < min ? v : min;
                max = v > max ? v : max;
            }
        }

        if (withSum)
        {
            if (typeof(TOp) == typeof(Always))
            {
                sum.Add(values);
            }
            else
            {
                // The passing values gathered without a branch (each is written, the count moves only when it
                // passes), a chunk at a time, for the exact sum's loop over a span.
                Span<double> passing = stackalloc double[SumChunk];
                for (var from = 0; from < values.Length; from += SumChunk)
                {
                    var chunk = values.Slice(from, Math.Min(SumChunk, values.Length - from));
                    var n = 0;
                    foreach (var v in chunk)
                    {
                        passing[n] = v;
                        n += TOp.Passes(v, literal) ? 1 : 0;
                    }

                    sum.Add(passing[..n]);
                }
            }
        }

        return new RunSummary(count, min, max);
    }

    /// <summary>Lane <c>k</c> summarises values <c>k, k + 4, k + 8, …</c>, four at a time; returns how many values it took.</summary>
    internal static int LanesVector<TOp>(ReadOnlySpan<double> values, double literal, Span<long> counts, Span<double> mins, Span<double> maxes)
        where TOp : struct, IComparison
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var literals = Vector256.Create(literal);
        var laneCounts = Vector256<long>.Zero;
        var laneMins = Vector256.Create(double.MaxValue);
        var laneMaxes = Vector256.Create(double.MinValue);
        var i = 0;
        for (; i <= values.Length - Lanes; i += Lanes)
        {
            var v = Vector256.LoadUnsafe(ref start, (nuint)i);
            var pass = TOp.Passes(v, literals);
            laneCounts -= pass.AsInt64(); // a passing lane is all ones: -1
            laneMins = Vector256.ConditionalSelect(pass & Vector256.LessThan(v, laneMins), v, laneMins);
            laneMaxes = Vector256.ConditionalSelect(pass & Vector256.GreaterThan(v, laneMaxes), v, laneMaxes);
        }

        laneCounts.CopyTo(counts);
        laneMins.CopyTo(mins);
        laneMaxes.CopyTo(maxes);
        return i;
    }

    /// <summary><see cref="LanesVector{TOp}"/> one value at a time, for machines without 256-bit vectors: the same lanes, so the same minimum and maximum to the last bit.</summary>
    internal static int LanesScalar<TOp>(ReadOnlySpan<double> values, double literal, Span<long> counts, Span<double> mins, Span<double> maxes)
        where TOp : struct, IComparison
    {
        counts.Clear();
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
                    mins[lane] = v < mins[lane] ? v : mins[lane];
                    maxes[lane] = v > maxes[lane] ? v : maxes[lane];
                }
            }
        }

        return i;
    }

    /// <param name="asDouble">Compare each value converted to float64 against <paramref name="literal"/> instead of as int64 against <paramref name="intLiteral"/>.</param>
    private static RunSummary WhereInt<TOp>(ReadOnlySpan<long> values, long intLiteral, double literal, bool asDouble, ref ExactSum sum, bool withSum)
        where TOp : struct, IComparison
    {
        long count = 0;
        double min = double.MaxValue, max = double.MinValue;
        Span<double> passing = stackalloc double[SumChunk];
        for (var from = 0; from < values.Length; from += SumChunk)
        {
            var gathered = 0;
            foreach (var n in values.Slice(from, Math.Min(SumChunk, values.Length - from)))
            {
                double v = n;
                if (asDouble ? TOp.Passes(v, literal) : TOp.Passes(n, intLiteral))
                {
                    passing[gathered++] = v;
                    min = v < min ? v : min;
                    max = v > max ? v : max;
                }
            }

            count += gathered;
            if (withSum)
            {
                sum.Add(passing[..gathered]);
            }
        }

        return new RunSummary(count, min, max);
    }

    /// <summary>How many values of a run passed, and the smallest and largest of them (NaNs skipped).</summary>
    internal readonly record struct RunSummary(long Count, double Min, double Max)
    {
        public static RunSummary Empty => new(0, double.MaxValue, double.MinValue);
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
