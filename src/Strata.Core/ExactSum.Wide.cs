using System.Numerics;

namespace Strata.Core;

/// <summary>The wide form of <see cref="ExactSum"/>: the sum in limbs of 32 bits, in units of 2^-1074.</summary>
public partial struct ExactSum
{
    /// <summary>The small form moved into limbs.</summary>
    private void Widen()
    {
        if (_limbs is not null)
        {
            return;
        }

        _limbs = new long[LimbCount];
        if (_small != 0)
        {
            AddToLimbs(_limbs, Magnitude(_small), Scale, negative: _small < 0);
            _pending = 1;
        }

        _small = 0;
    }

    private void AddWide(ulong mantissa, int exponent, long sign)
    {
        var limbs = _limbs!;
        var position = exponent - MinExponent;
        var shift = position & (LimbBits - 1);
        var index = position / LimbBits;
        var low = mantissa << shift;
        var high = mantissa >> 1 >> (63 - shift);
        limbs[index] += ((long)(low & LimbMask) ^ sign) - sign; // (x ^ sign) − sign is x, or −x when sign is −1
        limbs[index + 1] += ((long)(low >> LimbBits) ^ sign) - sign;
        limbs[index + 2] += ((long)high ^ sign) - sign;
        Count(1);
    }

    /// <summary>
    /// Adds ±<paramref name="magnitude"/> × 2^<paramref name="exponent"/> (magnitude under 2^127, exponent ≥ −1074, the
    /// product a sum of doubles, so under 2^1087) to limbs as 32-bit parts.
    /// </summary>
    private static void AddToLimbs(Span<long> limbs, UInt128 magnitude, int exponent, bool negative)
    {
        var sign = negative ? -1L : 0L;
        var position = exponent - MinExponent;
        var index = position / LimbBits;
        var shift = position & (LimbBits - 1);
        var low = magnitude << shift; // the bits that stay under 2^128; up to 31 more spill into a fifth limb
        var spill = shift == 0 ? 0UL : (ulong)(magnitude >> (128 - shift));

        // Only the limbs the value reaches: a scale near 2^1023 has fewer above it than 128 bits could fill.
        for (var i = index; low != 0; i++)
        {
            limbs[i] += ((long)((ulong)low & LimbMask) ^ sign) - sign;
            low >>= LimbBits;
        }

        if (spill != 0)
        {
            limbs[index + 4] += ((long)spill ^ sign) - sign;
        }
    }

    private void Count(int adds)
    {
        _pending += adds;
        if (_pending >= NormaliseEvery)
        {
            Normalise();
        }
    }

    private static void AddLimbs(Span<long> mine, ReadOnlySpan<long> theirs)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= mine.Length - Vector<long>.Count; i += Vector<long>.Count)
            {
                (new Vector<long>(mine[i..]) + new Vector<long>(theirs[i..])).CopyTo(mine[i..]);
            }
        }

        for (; i < mine.Length; i++)
        {
            mine[i] += theirs[i];
        }
    }

    /// <summary>Moves every limb's carries up: each limb but the last ends in [0, 2^32), the last keeps the sign.</summary>
    private void Normalise()
    {
        if (_limbs is not null)
        {
            Carry(_limbs);
        }

        _pending = 0;
    }

    private static void Carry(Span<long> limbs)
    {
        long carry = 0;
        for (var i = 0; i < limbs.Length - 1; i++)
        {
            var limb = limbs[i] + carry;
            limbs[i] = limb & LimbMask;
            carry = limb >> LimbBits;
        }

        limbs[^1] += carry;
    }

    /// <summary>Rounds a sum held in limbs (units of 2^-1074), carrying them in place.</summary>
    private static double RoundLimbs(Span<long> limbs)
    {
        Carry(limbs);
        var negative = limbs[^1] < 0;
        if (negative)
        {
            for (var i = 0; i < limbs.Length; i++)
            {
                limbs[i] = -limbs[i];
            }

            Carry(limbs);
        }

        var top = limbs.Length - 1;
        while (top >= 0 && limbs[top] == 0)
        {
            top--;
        }

        if (top < 0)
        {
            return 0.0;
        }

        // The top three limbs as one 96-bit window (fewer near the bottom), the limbs under it only as a sticky bit.
        var bottom = Math.Max(top - 2, 0);
        UInt128 window = 0;
        for (var i = top; i >= bottom; i--)
        {
            window = (window << LimbBits) | (ulong)limbs[i];
        }

        var windowTop = 127 - (int)UInt128.LeadingZeroCount(window);
        var highest = (bottom * LimbBits) + windowTop; // the sum's highest set bit, counted from 2^-1074
        double magnitude;
        if (highest <= 52)
        {
            // Under 2^53 units of 2^-1074: a subnormal, or the smallest normal exponent, exactly as it is.
            magnitude = BitConverter.Int64BitsToDouble((long)(ulong)window);
        }
        else
        {
            var below = limbs[..bottom].ContainsAnyExcept(0L);
            var exponent = highest - 52;
            var mantissa = RoundedMantissa(window, windowTop - 52, below, ref exponent);
            var biased = exponent + 1; // mantissa × 2^(exponent − 1074): biased exponent exponent − 1074 + 52 + 1023
            magnitude = biased >= 0x7FF
                ? double.PositiveInfinity
                : BitConverter.Int64BitsToDouble(((long)biased << 52) | (long)(mantissa & FractionMask));
        }

        return negative ? -magnitude : magnitude;
    }
}
