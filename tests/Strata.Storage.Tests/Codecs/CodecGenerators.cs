using CsCheck;

namespace Strata.Storage.Tests.Codecs;

/// <summary>Generators biased towards the values and shapes that break codecs.</summary>
internal static class CodecGenerators
{
    public const int MaxLength = 2000;

    public const long TenSeconds = 10_000_000;

    /// <summary>2023-11-14T22:13:20Z in µs.</summary>
    public const long Epoch = 1_700_000_000_000_000;

    public static readonly Gen<long> EdgeLong = Gen.OneOf(long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, 0L, 1L, -1L);

    public static readonly Gen<long> AnyLong = Gen.Frequency((4, Gen.Long), (3, Gen.Long[-1000, 1000]), (1, EdgeLong));

    /// <summary>Shapes of real columns: small ranges, arithmetic (rising, falling, equal), jittered timestamps, spiky walks.</summary>
    public static readonly Gen<long[]> ShapedLongSequence = Gen.OneOf(
        Gen.Long[-3, 3].Array[0, MaxLength],
        Gen.Select(Gen.Long, Gen.Frequency((3, Gen.Long[-TenSeconds, TenSeconds]), (1, Gen.Long), (1, Gen.Const(0L))), Gen.Int[0, MaxLength], Arithmetic),
        Gen.Select(Gen.Long[0, Epoch * 2], Gen.Long[0, TenSeconds * 10], Gen.Long[0, 1_000_000], Gen.Int[0, MaxLength], Gen.Int, Jittered),
        Gen.Select(Gen.Long[-1_000_000, 1_000_000], Gen.Int[0, MaxLength], Gen.Int, SpikyWalk));

    /// <summary>The shapes above plus random and edge values (long.MinValue/MaxValue, 0, ±1), 0..2,000 long.</summary>
    public static readonly Gen<long[]> LongSequence = Gen.OneOf(
        AnyLong.Array[0, MaxLength],
        EdgeLong.Array[0, MaxLength],
        ShapedLongSequence);

    public static readonly double[] SpecialDoubles =
    [
        double.NaN,
        BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0000),   // positive quiet NaN
        BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001),   // signalling NaN
        BitConverter.Int64BitsToDouble(0x7FF8_DEAD_BEEF_0001),   // quiet NaN with a payload
        BitConverter.Int64BitsToDouble(unchecked((long)0xFFFF_FFFF_FFFF_FFFF)),
        double.PositiveInfinity,
        double.NegativeInfinity,
        -0.0,
        0.0,
        double.Epsilon,
        -double.Epsilon,
        BitConverter.Int64BitsToDouble(0x000F_FFFF_FFFF_FFFF),   // largest subnormal
        double.MaxValue,
        double.MinValue,
        1.0,
        -1.0,
        0.1,
        long.MaxValue,
        long.MinValue,
    ];

    public static readonly Gen<double> SpecialDouble = Gen.OneOf(SpecialDoubles);

    public static readonly Gen<double> BitPatternDouble = Gen.Long.Select(BitConverter.Int64BitsToDouble);

    public static readonly Gen<double> AnyDouble = Gen.Frequency(
        (3, BitPatternDouble),
        (2, Gen.Double),
        (2, SpecialDouble),
        (2, Gen.Int[-100_000, 100_000].Select(k => k / 100.0)));

    /// <summary>Arbitrary doubles, special values, repeats, and decimal random walks (sometimes with one odd value inside).</summary>
    public static readonly Gen<double[]> DoubleSequence = Gen.OneOf(
        AnyDouble.Array[0, MaxLength],
        SpecialDouble.Array[0, MaxLength],
        Gen.Select(AnyDouble, Gen.Int[0, MaxLength], (value, n) => Enumerable.Repeat(value, n).ToArray()),
        DecimalWalk,
        Gen.Select(DecimalWalk, SpecialDouble, Gen.Int, (walk, odd, seed) =>
        {
            if (walk.Length > 0)
            {
                walk[new Random(seed).Next(walk.Length)] = odd;
            }

            return walk;
        }));

    /// <summary>Random walks of values with 0..9 decimals, as a gauge parsed from JSON produces them.</summary>
    public static Gen<double[]> DecimalWalk => Gen.Select(Gen.Int[0, 9], Gen.Double[0.001, 1e6], Gen.Int[0, MaxLength], Gen.Int, Walk);

    public static readonly Gen<char> ValidChar = Gen.Frequency(
        (4, Gen.Char['a', 'z']),
        (1, Gen.Char[' ', '~']),
        (1, Gen.Char['\u0080', '\u07FF']),
        (1, Gen.Char['\u0800', '\uD7FF']),
        (1, Gen.Char['\uE000', '\uFFFF']));

    /// <summary>Valid UTF-16: BMP characters outside the surrogates plus surrogate pairs (emoji and the like).</summary>
    public static readonly Gen<string> ValidString = Gen.Frequency(
        (2, Gen.Const(string.Empty)),
        (4, Chars(Gen.Char['a', 'e'], 0, 20)),
        (3, Chars(ValidChar, 0, 40)),
        (1, Gen.Int[0x10000, 0x10FFFF].Array[0, 10].Select(points => string.Concat(points.Select(char.ConvertFromUtf32)))),
        (1, Chars(ValidChar, 200, 2000)));

    public static readonly Gen<string[]> StringSequence = Gen.OneOf(
        ValidString.Array[0, MaxLength],
        Gen.Select(ValidString, Gen.Int[0, MaxLength], (value, n) => Enumerable.Repeat(value, n).ToArray()),
        Gen.Const(string.Empty).Array[0, MaxLength]);

    public static Gen<string> Chars(Gen<char> chars, int min, int max) => chars.Array[min, max].Select(c => new string(c));

    public static long[] Arithmetic(long start, long step, int count)
    {
        var values = new long[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = unchecked(start + (step * i));
        }

        return values;
    }

    /// <summary>Timestamps at a fixed spacing with up to ±jitter, an occasional gap, and the odd duplicate.</summary>
    public static long[] Jittered(long start, long step, long jitter, int count, int seed)
    {
        var random = new Random(seed);
        var values = new long[count];
        var time = start;
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            time += roll == 0 ? step * random.Next(2, 1000) : roll == 1 ? 0 : step;
            values[i] = time + random.NextInt64(-jitter, jitter + 1);
        }

        return values;
    }

    /// <summary>A walk with small steps and rare huge spikes, the case for patched frame-of-reference.</summary>
    public static long[] SpikyWalk(long start, int count, int seed)
    {
        var random = new Random(seed);
        var values = new long[count];
        var value = start;
        for (var i = 0; i < count; i++)
        {
            value += random.Next(-100, 101);
            values[i] = random.Next(50) == 0 ? random.NextInt64() : value;
        }

        return values;
    }

    /// <summary>Like the load generator: <c>Math.Round(previous + U(-step, step), decimals)</c>, starting at 50.</summary>
    public static double[] Walk(int decimals, double step, int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        var value = 50.0;
        for (var i = 0; i < count; i++)
        {
            // + 0.0 turns a rounded -0.0 (a walk through zero) into 0.0: -0.0 has no decimal form, so one of them
            // would rightly send the whole block to Gorilla and fail the size tests for the wrong reason.
            value = Math.Round(value + (((random.NextDouble() * 2) - 1) * step), decimals) + 0.0;
            values[i] = value;
        }

        return values;
    }
}
