using System.Globalization;
using System.Numerics;
using CsCheck;

namespace Strata.Core.Tests;

/// <summary>
/// Sums without rounding until read: checked against the exact sum worked out with <see cref="BigInteger"/> and
/// rounded by <see cref="double.Parse(string, IFormatProvider)"/> (correctly rounded since .NET Core 3.0), and for
/// not depending on order or on how the values are split into partial sums.
/// </summary>
public class ExactSumTests
{
    [Theory]
    [InlineData(new[] { 0.1, 0.2, 0.3 }, 0.6)] // adding in order gives 0.6000000000000001
    [InlineData(new[] { 1e100, 1.0, -1e100 }, 1.0)] // in order: 0
    [InlineData(new[] { 1.0, 1.1102230246251565E-16 }, 1.0)] // a tie goes to the even mantissa
    [InlineData(new[] { 1.0, 1.1102230246251565E-16, 1.232595164407831E-32 }, 1.0000000000000002)] // just past the tie
    [InlineData(new[] { 1.0000000000000002, 1.1102230246251565E-16 }, 1.0000000000000004)] // a tie from an odd mantissa goes up
    [InlineData(new[] { -1.0, -1.1102230246251565E-16, -1.232595164407831E-32 }, -1.0000000000000002)]
    [InlineData(new[] { double.Epsilon, double.Epsilon, -double.Epsilon }, double.Epsilon)]
    [InlineData(new[] { double.Epsilon, -double.Epsilon }, 0.0)]
    [InlineData(new[] { 2.2250738585072014E-308, -double.Epsilon }, 2.225073858507201E-308)] // normal less a subnormal step
    [InlineData(new[] { double.MaxValue, double.MaxValue, -double.MaxValue }, double.MaxValue)]
    [InlineData(new[] { double.MaxValue, double.MaxValue }, double.PositiveInfinity)]
    [InlineData(new[] { -double.MaxValue, -double.MaxValue }, double.NegativeInfinity)]
    [InlineData(new[] { double.PositiveInfinity, -1e308, 1.0 }, double.PositiveInfinity)]
    [InlineData(new[] { double.NegativeInfinity, 5.0 }, double.NegativeInfinity)]
    [InlineData(new[] { double.PositiveInfinity, double.NegativeInfinity }, double.NaN)]
    [InlineData(new[] { 1.0, double.NaN }, double.NaN)]
    [InlineData(new[] { -0.0, -0.0 }, 0.0)]
    [InlineData(new double[0], 0.0)]
    public void Round_IsTheExactSumRoundedOnce(double[] values, double expected) =>
        BitConverter.DoubleToInt64Bits(ExactSum.Of(values)).ShouldBe(BitConverter.DoubleToInt64Bits(expected), $"{ExactSum.Of(values):R}");

    [Fact]
    public void Round_MatchesTheBigIntegerSum() =>
        Values.Sample(values => ExactSum.Of(values).ShouldBe(Reference(values)));

    [Fact]
    public void Round_DoesNotDependOnOrderOrOnPartialSums() =>
        Gen.Select(Values, Gen.Int, Gen.Int[1, 6]).Sample((values, seed, parts) =>
        {
            var expected = ExactSum.Of(values);
            var shuffled = values.ToArray();
            new Random(seed).Shuffle(shuffled);
            var total = default(ExactSum);
            var size = (shuffled.Length / parts) + 1;
            for (var start = 0; start < shuffled.Length; start += size)
            {
                var part = default(ExactSum);
                foreach (var value in shuffled.AsSpan(start, Math.Min(size, shuffled.Length - start)))
                {
                    part.Add(value);
                }

                total.Add(in part);
            }

            BitConverter.DoubleToInt64Bits(total.Round()).ShouldBe(BitConverter.DoubleToInt64Bits(expected));
        });

    [Fact]
    public void ASpan_AddsAsItsValuesOneByOne() =>
        Gen.Select(Values, Gen.OneOf(Gen.Double, Gen.Const(double.Epsilon), Gen.Const(1e300), Gen.Const(double.NaN)).Array[0, 3], Gen.Int[1, 4]).Sample((values, odd, copies) =>
        {
            // Copies make runs past the loop's check every 1,024 values; the odd values send it down its slow path.
            var all = Enumerable.Repeat(values, copies).SelectMany(v => v).Concat(odd).Concat(values).ToArray();
            var one = default(ExactSum);
            foreach (var value in all)
            {
                one.Add(value);
            }

            var span = default(ExactSum);
            span.Add(all.AsSpan(0, all.Length / 2));
            span.Add(all.AsSpan(all.Length / 2));
            BitConverter.DoubleToInt64Bits(span.Round()).ShouldBe(BitConverter.DoubleToInt64Bits(one.Round()));
        });

    [Fact]
    public void ASpan_TakesEveryKindOfValueInGroupsOfFour() =>
        Gen.Select(Gen.Int[-1000, 1000], Gen.Int[0, 3]).SelectMany((exponent, offset) => NearScale(exponent).Array[0, 64].Select(values => (values, offset)))
            .Sample((values, offset) =>
            {
                // Values at, above, 63 and 64 bits above and below a common scale (integers below it only by trailing
                // zeros or not), zeros of both signs and the odd subnormal, NaN or infinity, starting at every offset
                // into a group of four: the span must give what adding one by one gives, and the exact sum.
                var all = new double[offset + values.Length];
                values.CopyTo(all, offset);
                var one = default(ExactSum);
                foreach (var value in all)
                {
                    one.Add(value);
                }

                var span = default(ExactSum);
                span.Add(all);
                BitConverter.DoubleToInt64Bits(span.Round()).ShouldBe(BitConverter.DoubleToInt64Bits(one.Round()));
                if (all.All(double.IsFinite))
                {
                    span.Round().ShouldBe(Reference(all));
                }
            });

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.NaN)]
    public void ASpan_OnAScaleNearTheTopOfTheRange_StillSeesNaNAndInfinity(double special)
    {
        // On a scale of 2^960 an infinity's exponent field lies only 12 bits above it: it must not pass for a number.
        var big = Math.ScaleB(1.0, 960);
        ExactSum.Of([big, big, big, big, big, special, big, big]).ShouldBe(special);
    }

    [Fact]
    public void ClearKeepingScale_StartsFromZeroWhateverTheScaleWas() =>
        Gen.Select(Values, Values, Gen.Bool).Sample((first, second, wide) =>
        {
            // The scale the first values left (or the wide form) must not change what the second ones add up to.
            var sum = default(ExactSum);
            if (wide)
            {
                sum.Add(1e308);
                sum.Add(double.Epsilon);
            }

            sum.Add(first);
            sum.ClearKeepingScale();
            sum.Round().ShouldBe(0.0);
            sum.Add(second);
            sum.Round().ShouldBe(Reference(second));
            sum.Add(first);
            sum.Round().ShouldBe(Reference([.. second, .. first]));
        });

    [Fact]
    public void ASpanWhoseSumOutgrowsTheSmallForm_GoesWideExactly()
    {
        // The smallest subnormal fixes the scale at 2^-1074; each big value is 2^116 units there, the most the span's
        // loop takes without a check, and 3,000 of them pass 2^126 units between two checks.
        var big = Math.ScaleB((double)((1L << 53) - 1), -1074 + 63);
        var values = new[] { double.Epsilon }.Concat(Enumerable.Repeat(big, 3_000)).ToArray();
        var sum = default(ExactSum);
        sum.Add(values);
        sum.Round().ShouldBe(Reference(values));
    }

    [Fact]
    public void TheWideForm_GivesWhatTheSmallFormGives() =>
        Gen.Select(Values, Values).Sample((first, second) =>
        {
            // 1e308 and the smallest subnormal are 2,100 bits apart: no Int128 holds both, so the sum goes wide.
            var small = default(ExactSum);
            var wide = default(ExactSum);
            wide.Add(1e308);
            wide.Add(double.Epsilon);
            foreach (var value in first)
            {
                small.Add(value);
                wide.Add(value);
            }

            var other = default(ExactSum);
            foreach (var value in second)
            {
                other.Add(value);
            }

            small.Add(in other);
            wide.Add(in other);
            wide.Add(-1e308);
            wide.Add(-double.Epsilon);
            BitConverter.DoubleToInt64Bits(wide.Round()).ShouldBe(BitConverter.DoubleToInt64Bits(small.Round()));
            wide.Round().ShouldBe(Reference([.. first, .. second]));
        });

    [Fact]
    public void AClone_SharesNothing()
    {
        var sum = default(ExactSum);
        sum.Add(1e300);
        sum.Add(1e-300);
        var clone = sum.Clone();
        clone.Add(-1e300);
        clone.Round().ShouldBe(1e-300);
        sum.Round().ShouldBe(1e300);
    }

    [Fact]
    public void AddingASumToItself_PastTheCarryLimit_StaysExact()
    {
        // Each doubling adds as many values' worth of carries as the sum already holds: 40 of them pass the 2^30 adds
        // after which a limb's carries must be moved up. The largest and smallest doubles together need the wide form.
        var big = default(ExactSum);
        big.Add(double.MaxValue);
        big.Add(double.Epsilon);
        var small = default(ExactSum);
        small.Add(1.0000000000000002);
        small.Add(8.673617379884035E-19);
        var minusBig = default(ExactSum);
        minusBig.Add(-double.MaxValue);
        minusBig.Add(-double.Epsilon);
        for (var i = 0; i < 40; i++)
        {
            var copy = big;
            big.Add(in copy);
            copy = small;
            small.Add(in copy);
            copy = minusBig;
            minusBig.Add(in copy);
        }

        big.Round().ShouldBe(double.PositiveInfinity);
        small.Round().ShouldBe(Reference([1.0000000000000002 * 1099511627776.0, 9.5367431640625E-07]));
        big.Add(in minusBig);
        big.Add(0.5);
        big.Round().ShouldBe(0.5);
    }

    [Fact]
    public void TryGetPair_GivesTheSumAsTwoDoublesWhenItFits()
    {
        var sum = default(ExactSum);
        sum.Add(0.1);
        sum.Add(0.2);
        sum.Add(0.3);
        sum.TryGetPair(out var high, out var low).ShouldBeTrue();
        high.ShouldBe(0.6);
        low.ShouldNotBe(0.0);
        var again = default(ExactSum);
        again.Add(low);
        again.Add(high);
        again.Round().ShouldBe(sum.Round());

        var spread = default(ExactSum);
        spread.Add(1e300);
        spread.Add(1.0);
        spread.Add(1e-300);
        spread.TryGetPair(out _, out _).ShouldBeFalse();

        var nan = default(ExactSum);
        nan.Add(double.NaN);
        nan.TryGetPair(out high, out low).ShouldBeTrue();
        high.ShouldBe(double.NaN);
        low.ShouldBe(0.0);
    }

    [Fact]
    public void TryGetPair_PartsAddBackToTheSameSum() =>
        Values.Sample(values =>
        {
            var sum = default(ExactSum);
            foreach (var value in values)
            {
                sum.Add(value);
            }

            if (sum.TryGetPair(out var high, out var low))
            {
                high.ShouldBe(sum.Round());
                Reference([high, low]).ShouldBe(high);
                var pair = default(ExactSum);
                pair.Add(high);
                pair.Add(low);
                foreach (var value in values)
                {
                    pair.Add(-value);
                }

                pair.Round().ShouldBe(0.0);
            }
        });

    /// <summary>Finite doubles: two-decimal readings like a collector sends, or any bits within a random exponent band.</summary>
    private static readonly Gen<double[]> Values = Gen.OneOf(
        Gen.Int[-100_000, 100_000].Select(n => n / 100.0).Array[0, 300],
        Gen.Select(Gen.Int[-1074, 960], Gen.Int[0, 60]).SelectMany((low, band) =>
            Gen.Select(Gen.Long[0, (1L << 53) - 1], Gen.Int[0, band], Gen.Bool)
                .Select((mantissa, up, negative) => (negative ? -1 : 1) * Math.ScaleB(mantissa, low + up - 52))
                .Array[0, 300]));

    /// <summary>
    /// Doubles whose lowest set bit lies near 2^<paramref name="exponent"/>: mantissas of few or many bits, 0 to 70 bits
    /// above it or a few below, either sign; now and then a zero, a subnormal, NaN or an infinity.
    /// </summary>
    private static Gen<double> NearScale(int exponent) => Gen.Frequency(
        (20, Gen.Select(Gen.Long[1, (1L << 53) - 1], Gen.Int[-8, 70], Gen.Bool)
            .Select((mantissa, up, negative) => (negative ? -1 : 1) * Math.ScaleB(mantissa, exponent + up))),
        (4, Gen.Select(Gen.Int[1, 1000], Gen.Bool).Select((n, negative) => (negative ? -1 : 1) * Math.ScaleB(n, exponent))),
        (2, Gen.OneOf(Gen.Const(0.0), Gen.Const(-0.0))),
        (1, Gen.OneOf(Gen.Const(double.Epsilon), Gen.Const(-3 * double.Epsilon), Gen.Const(4 * double.Epsilon), Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity))));

    /// <summary>The exact sum as an integer count of 2^-1074, written out in decimal and parsed.</summary>
    private static double Reference(double[] values)
    {
        var units = BigInteger.Zero;
        foreach (var value in values)
        {
            var bits = BitConverter.DoubleToInt64Bits(value);
            var biased = (int)((bits >> 52) & 0x7FF);
            var mantissa = new BigInteger(bits & ((1L << 52) - 1));
            if (biased != 0)
            {
                mantissa += BigInteger.One << 52;
            }

            var scaled = mantissa << Math.Max(biased - 1, 0);
            units += bits < 0 ? -scaled : scaled;
        }

        // units × 2^-1074 = units × 5^1074 / 10^1074: the digits of units × 5^1074 with the point 1074 from the right.
        var digits = BigInteger.Abs(units * BigInteger.Pow(5, 1074)).ToString(CultureInfo.InvariantCulture).PadLeft(1075, '0');
        var text = (units.Sign < 0 ? "-" : "") + digits[..^1074] + "." + digits[^1074..];
        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}
