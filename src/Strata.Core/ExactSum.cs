using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Strata.Core;

/// <summary>
/// The exact sum of any number of doubles, rounded to the nearest double (ties to even) only when read. Because no
/// addition rounds, the result does not depend on the order of the values or on how they were split into partial
/// sums — so <c>sum</c> and <c>mean</c> give the same answer to the last bit whether the points sit in the memtable,
/// in blocks folded from their statistics, or in blocks a flush or compaction cut elsewhere (Strata choice: 0.8 adds
/// in point order and rounds at every step).
/// </summary>
/// <remarks>
/// Every finite double is an integer multiple of 2^-1074, so the sum is an integer times a power of two. It is kept
/// in one of two forms:
/// <list type="bullet">
/// <item><b>Small</b> (what readings need): <see cref="_small"/> × 2^<see cref="Scale"/>, an Int128 under 2^126 in
/// magnitude, the scale the lowest set bit of any value added. Two-decimal readings up to a million span ~80 bits. A
/// value at most 63 bits above the scale costs one 128-bit addition in <see cref="Add(ReadOnlySpan{double})"/>. 40
/// bytes a sum, so a state per group stays small.</item>
/// <item><b>Wide</b> (values too far apart, or a sum past 2^126 units): <see cref="_limbs"/>, the sum in units of
/// 2^-1074 as <see cref="LimbCount"/> limbs of <see cref="LimbBits"/> bits held in longs:
/// <code>
/// limb:   0         1         2               63        64..67
/// bits:   2^-1074   2^-1042   2^-1010   ...   2^942     2^974 .. (the carries of up to 2^63 values below 2^1024)
/// </code>
/// A value's 53-bit mantissa lands in three adjacent limbs as three signed 32-bit parts ("carry-save": no carry
/// moves between limbs while adding), so a limb can take 2^30 adds before <see cref="Normalise"/> must move its
/// carries up.</item>
/// </list>
/// NaN and the infinities are counted apart and decide the result as IEEE addition would. A copy of a wide sum
/// shares its limbs: copy with <see cref="Clone"/> before changing one of two.
/// </remarks>
public partial struct ExactSum
{
    private const int LimbBits = 32;
    private const int LimbCount = 68;
    private const long LimbMask = (1L << LimbBits) - 1;
    private const long FractionMask = (1L << 52) - 1;

    /// <summary>The exponent of 2^-1074, the unit of the wide form.</summary>
    private const int MinExponent = -1074;

    /// <summary>Each side of the small form stays under 2^SmallBits, so adding a value under 2^126 never overflows 128 bits.</summary>
    private const int SmallBits = 126;

    /// <summary>The most a 53-bit mantissa may sit above the scale and stay under 2^126.</summary>
    private const int MaxShift = SmallBits - 53;

    /// <summary>Values under 2^116 a span's loop adds between checks: 2^10 of them add less than 2^126, so a side under 2^126 stays under 2^127.</summary>
    private const int SpanCheckEvery = 1 << 10;

    /// <summary>Adds a limb takes before its carries must move up: each adds less than 2^32, so it stays under 2^62.</summary>
    private const int NormaliseEvery = 1 << 30;

    /// <summary>The small form: the sum in units of 2^<see cref="Scale"/>, under 2^126 in magnitude.</summary>
    private Int128 _small;

    /// <summary>The small form's scale, offset so that default(ExactSum) has the empty scale <see cref="int.MaxValue"/>.</summary>
    private int _scaleFromEmpty;

    /// <summary>The wide form, once the small one cannot hold the sum (then <see cref="_small"/> is 0).</summary>
    private long[]? _limbs;

    /// <summary>Adds since the last <see cref="Normalise"/>: every limb is less than (<see cref="_pending"/> + 1) × 2^32 in magnitude.</summary>
    private int _pending;

    private bool _nan;
    private bool _positiveInfinity;
    private bool _negativeInfinity;

    /// <summary>The exponent of the small form's unit: <see cref="int.MaxValue"/> until a nonzero value arrives.</summary>
    private int Scale
    {
        readonly get => unchecked(_scaleFromEmpty + int.MaxValue);
        set => _scaleFromEmpty = unchecked(value - int.MaxValue);
    }

    /// <summary>Adds <paramref name="value"/> without rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var biased = (int)(bits >> 52) & 0x7FF;
        if (biased == 0x7FF)
        {
            AddSpecial(value);
            return;
        }

        // value = ±mantissa × 2^exponent; a subnormal has no hidden bit and the exponent of biased 1.
        var mantissa = (ulong)bits & FractionMask;
        if (biased != 0)
        {
            mantissa |= 1UL << 52;
        }
        else if (mantissa == 0)
        {
            return; // ±0
        }
        else
        {
            biased = 1;
        }

        var exponent = biased - 1075;
        if (_limbs is not null)
        {
            AddWide(mantissa, exponent, bits >> 63);
            return;
        }

        // Without its trailing zeros a value asks less of the small form (5.0 is 5 × 2^0, not 5 × 2^50 × 2^-50).
        var zeros = BitOperations.TrailingZeroCount(mantissa);
        mantissa >>= zeros;
        exponent += zeros;
        var shift = unchecked(exponent - Scale); // negative, or wrapped past int.MinValue, while empty
        if ((uint)shift > MaxShift)
        {
            AddSmallRescaled(mantissa, exponent, bits < 0);
            return;
        }

        var shifted = (Int128)mantissa << shift; // under 2^126: the sum of it and the small form cannot overflow
        _small += bits < 0 ? -shifted : shifted;
        if (!FitsSmall(_small))
        {
            Widen(); // still exact: under 2^127
        }
    }

    /// <summary>
    /// Adds every value without rounding: <see cref="Add(double)"/> in a loop that keeps the small form in registers,
    /// takes values at most 63 bits above the scale (under 2^116) without a branch on where they fall or on their
    /// sign, four at a time where the CPU has AVX2 (<see cref="AddFours"/>), and checks for 2^126 once every
    /// <see cref="SpanCheckEvery"/> values, which cannot add up to more.
    /// </summary>
    public void Add(ReadOnlySpan<double> values)
    {
        var i = 0;
        while (i < values.Length && _limbs is null)
        {
            // A negative value goes in as its ones' complement (−v − 1), the 1s it leaves out counted apart and added
            // back once: one 128-bit addition a value and no negation.
            var sum = _small;
            long negatives = 0;
            var scale = Scale;
            var end = Math.Min(values.Length, i + SpanCheckEvery);
            while (i < end && _limbs is null)
            {
                if (Avx2.IsSupported && end - i >= 4)
                {
                    i = AddFours(values, i, end, scale, ref sum, ref negatives);
                }

                // What the vector loop could not take (a group of four with a value off the scale, subnormal, NaN or
                // infinite), or the last few values: up to four one at a time here, then fours again.
                var stop = Math.Min(end, i + 4);
                for (; i < stop; i++)
                {
                    var bits = BitConverter.DoubleToInt64Bits(values[i]);
                    var biased = (int)(bits >> 52) & 0x7FF;
                    var mantissa = ((ulong)bits & FractionMask) | (1UL << 52);
                    var zeros = BitOperations.TrailingZeroCount(mantissa);
                    var shift = unchecked(biased - 1075 + zeros - scale);
                    if ((uint)(biased - 1) >= 0x7FE || (uint)shift > 63)
                    {
                        // A subnormal, zero, NaN or infinity, or a value off the scale: the one-value path, then on.
                        _small = sum + negatives;
                        Add(values[i]);
                        if (_limbs is not null)
                        {
                            i++;
                            break;
                        }

                        (sum, negatives, scale) = (_small, 0, Scale);
                        end = Math.Min(values.Length, i + 1 + SpanCheckEvery);
                        continue;
                    }

                    mantissa >>= zeros;
                    var sign = (ulong)(bits >> 63);
                    var low = mantissa << shift;
                    var high = mantissa >> 1 >> (63 - shift); // two shifts: C# masks a shift by 64 to 0
                    sum += new Int128(high ^ sign, low ^ sign);
                    negatives -= (long)sign;
                }
            }

            if (_limbs is not null)
            {
                break;
            }

            _small = sum + negatives;
            if (!FitsSmall(_small))
            {
                Widen(); // still exact: under 2^127
            }
        }

        for (; i < values.Length; i++)
        {
            Add(values[i]);
        }
    }

    /// <summary>
    /// The inner loop of <see cref="Add(ReadOnlySpan{double})"/> four values at a time, each lane a 128-bit sum in two
    /// 64-bit halves: adds groups of four from <paramref name="i"/> while every value of the group is zero or a normal
    /// double at most 63 bits above <paramref name="scale"/> (below it only by trailing zero bits), and returns where it
    /// stopped: at a group it could not take, or with fewer than four values before <paramref name="end"/>.
    /// </summary>
    /// <remarks>
    /// A variable shift by 64 or more gives 0 (vpsllvq, vpsrlvq), so one mantissa shifted left by its distance above
    /// the scale, right by its distance below it, and right by 64 less the distance gives the low half, the value
    /// below the scale and the high half with no branch on which applies.
    /// </remarks>
    private static int AddFours(ReadOnlySpan<double> values, int i, int end, int scale, ref Int128 sum, ref long negatives)
    {
        ref var start = ref MemoryMarshal.GetReference(values);
        var zero = Vector256<long>.Zero;
        var exponentMask = Vector256.Create(0x7FFL);
        var fractionMask = Vector256.Create(FractionMask);
        var hidden = Vector256.Create(1L << 52);
        var unit = Vector256.Create(1075L + scale); // a mantissa's distance above the scale is its biased exponent less this
        var maxShift = Vector256.Create(63L);
        var sixtyFour = Vector256.Create(64L);
        var lows = zero;
        var highs = zero;
        var signs = zero;
        for (; i <= end - 4; i += 4)
        {
            var bits = Vector256.LoadUnsafe(ref start, (nuint)i).AsInt64();
            var biased = Vector256.ShiftRightLogical(bits, 52) & exponentMask;
            var fraction = bits & fractionMask;
            var zeroExponent = Vector256.Equals(biased, zero);
            var mantissa = (fraction | Vector256.AndNot(hidden, zeroExponent)).AsUInt64();
            var shift = biased - unit;
            var below = Vector256.LessThan(shift, zero);
            var down = (-shift).AsUInt64();
            var left = Avx2.ShiftLeftLogicalVariable(mantissa, shift.AsUInt64());
            var right = Avx2.ShiftRightLogicalVariable(mantissa, down);
            var refused =
                (zeroExponent & ~Vector256.Equals(fraction, zero)) // subnormal
                | Vector256.Equals(biased, exponentMask) // NaN or infinity
                | Vector256.GreaterThan(shift, maxShift)
                | (below & ~Vector256.Equals(Avx2.ShiftLeftLogicalVariable(right, down), mantissa).AsInt64()); // set bits below the scale
            if (refused != zero)
            {
                break;
            }

            var sign = Vector256.LessThan(bits, zero);
            var low = (left | right).AsInt64() ^ sign;
            var high = Avx2.ShiftRightLogicalVariable(mantissa, (sixtyFour - shift).AsUInt64()).AsInt64() ^ sign;
            var sumLow = lows + low;
            var carry = Vector256.LessThan(sumLow.AsUInt64(), low.AsUInt64()).AsInt64(); // all ones where the low half wrapped
            highs = highs + high - carry;
            lows = sumLow;
            signs += sign;
        }

        for (var lane = 0; lane < 4; lane++)
        {
            sum += new Int128((ulong)highs[lane], (ulong)lows[lane]);
            negatives -= signs[lane];
        }

        return i;
    }

    /// <summary>Adds another exact sum without rounding.</summary>
    public void Add(in ExactSum other)
    {
        _nan |= other._nan;
        _positiveInfinity |= other._positiveInfinity;
        _negativeInfinity |= other._negativeInfinity;
        if (other._limbs is null)
        {
            if (other._small == 0)
            {
                return;
            }

            if (_limbs is null && TryAddSmall(other._small, other.Scale))
            {
                return;
            }

            Widen();
            AddToLimbs(_limbs!, Magnitude(other._small), other.Scale, negative: other._small < 0);
            Count(1);
            return;
        }

        Widen();
        if (_pending + other._pending + 1 >= NormaliseEvery)
        {
            Normalise();
            var copy = other.Clone();
            copy.Normalise();
            AddLimbs(_limbs!, copy._limbs!);
            _pending = 1;
        }
        else
        {
            AddLimbs(_limbs!, other._limbs);
            _pending += other._pending + 1;
        }
    }

    /// <summary>Back to zero.</summary>
    public void Clear() => this = default;

    /// <summary>
    /// Back to zero, keeping the small form's scale: the next values of the same kind (a series' readings, run after
    /// run) then go straight into the span's loop instead of finding the scale again one value at a time.
    /// </summary>
    public void ClearKeepingScale()
    {
        var scale = _limbs is null ? _scaleFromEmpty : default;
        this = default;
        _scaleFromEmpty = scale;
    }

    /// <summary>A copy that shares nothing with this sum.</summary>
    public readonly ExactSum Clone()
    {
        var copy = this;
        copy._limbs = (long[]?)_limbs?.Clone();
        return copy;
    }

    /// <summary>The sum rounded to the nearest double, ties to even; ±∞ past the double range, NaN after a NaN or both infinities.</summary>
    public readonly double Round()
    {
        if (_nan || (_positiveInfinity && _negativeInfinity))
        {
            return double.NaN;
        }

        if (_positiveInfinity || _negativeInfinity)
        {
            return _positiveInfinity ? double.PositiveInfinity : double.NegativeInfinity;
        }

        if (_limbs is null)
        {
            if (_small == 0)
            {
                return 0.0;
            }

            var negative = _small < 0;
            var magnitude = Magnitude(_small);
            var highest = 127 - (int)UInt128.LeadingZeroCount(magnitude);
            if (highest <= 52)
            {
                // Under 2^53 and the scale at least 2^-1074: exactly a double (or past the range: ±∞, also right).
                var exact = Math.ScaleB((double)(ulong)magnitude, Scale);
                return negative ? -exact : exact;
            }

            // At least 2^53 units of at least 2^-1074: a normal double (or past the range, ±∞), so a 53-bit
            // mantissa × 2^exponent needs no further rounding.
            var exponent = Scale + highest - 52;
            var mantissa = RoundedMantissa(magnitude, highest - 52, below: false, ref exponent);
            var rounded = Math.ScaleB((double)mantissa, exponent);
            return negative ? -rounded : rounded;
        }

        Span<long> limbs = stackalloc long[LimbCount];
        _limbs.CopyTo(limbs);
        return RoundLimbs(limbs);
    }

    /// <summary>
    /// The sum as <paramref name="high"/> + <paramref name="low"/> exactly, <paramref name="high"/> the rounded sum —
    /// possible when the sum's set bits fit in two doubles' mantissas — or false. With a NaN or an infinity it is that and 0.
    /// </summary>
    public readonly bool TryGetPair(out double high, out double low)
    {
        high = Round();
        low = 0;
        if (_nan || _positiveInfinity || _negativeInfinity)
        {
            return true;
        }

        if (double.IsInfinity(high))
        {
            return false;
        }

        var rest = Clone();
        rest.Add(-high);
        low = rest.Round();
        rest.Add(-low);
        return rest.IsZero();
    }

    /// <summary>The exact sum of <paramref name="values"/>, rounded once.</summary>
    public static double Of(ReadOnlySpan<double> values)
    {
        var sum = default(ExactSum);
        sum.Add(values);
        return sum.Round();
    }

    /// <summary>A value below the scale or far above it: the small form moves to a finer scale if it can, else goes wide.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddSmallRescaled(ulong mantissa, int exponent, bool negative)
    {
        if (!TryAddSmall(negative ? -(Int128)mantissa : mantissa, exponent))
        {
            Widen();
            AddToLimbs(_limbs!, mantissa, exponent, negative);
            Count(1);
        }
    }

    /// <summary>
    /// Adds <paramref name="value"/> × 2^<paramref name="exponent"/> (under 2^126 in magnitude) to the small form at
    /// the finer of the two scales, or returns false when that would not fit.
    /// </summary>
    private bool TryAddSmall(Int128 value, int exponent)
    {
        if (_small == 0)
        {
            (_small, Scale) = (value, exponent);
            return true;
        }

        Int128 sum;
        var scale = Math.Min(Scale, exponent);
        if (exponent == Scale)
        {
            // Runs of the same readings share their lowest bit, so merging them needs no shift.
            sum = _small + value;
        }
        else
        {
            var mine = Scale - scale;
            var theirs = exponent - scale;
            if (!FitsShifted(_small, mine) || !FitsShifted(value, theirs))
            {
                return false;
            }

            sum = (_small << mine) + (value << theirs);
        }

        if (!FitsSmall(sum))
        {
            return false;
        }

        (_small, Scale) = (sum, scale);
        return true;
    }

    private static bool FitsSmall(Int128 value) => (value >> SmallBits) == 0 || (value >> SmallBits) == -1;

    /// <summary>|value| (under 2^127: never Int128.MinValue here).</summary>
    private static UInt128 Magnitude(Int128 value) => (UInt128)(value < 0 ? -value : value);

    /// <summary>True when <paramref name="value"/> shifted left by <paramref name="shift"/> stays under 2^126 in magnitude.</summary>
    private static bool FitsShifted(Int128 value, int shift) =>
        shift <= SmallBits && (int)UInt128.LeadingZeroCount(Magnitude(value)) - (128 - SmallBits) >= shift;

    private readonly bool IsZero()
    {
        if (_limbs is null)
        {
            return _small == 0;
        }

        Span<long> limbs = stackalloc long[LimbCount];
        _limbs.CopyTo(limbs);
        Carry(limbs);
        return !limbs.ContainsAnyExcept(0L);
    }

    private void AddSpecial(double value)
    {
        if (double.IsNaN(value))
        {
            _nan = true;
        }
        else if (value > 0)
        {
            _positiveInfinity = true;
        }
        else
        {
            _negativeInfinity = true;
        }
    }

    /// <summary>
    /// The top 53 bits of <paramref name="magnitude"/> once <paramref name="drop"/> low bits are gone, rounded to
    /// nearest, ties to even (<paramref name="below"/>: nonzero bits under the magnitude's). A carry out of the
    /// mantissa shifts it back and adds one to <paramref name="exponent"/>.
    /// </summary>
    private static ulong RoundedMantissa(UInt128 magnitude, int drop, bool below, ref int exponent)
    {
        var mantissa = (ulong)(magnitude >> drop);
        var rest = magnitude & ((UInt128.One << drop) - 1);
        var half = UInt128.One << (drop - 1);
        if (rest > half || (rest == half && (below || (mantissa & 1) == 1)))
        {
            mantissa++;
            if (mantissa == 1UL << 53)
            {
                mantissa >>= 1;
                exponent++;
            }
        }

        return mantissa;
    }
}
