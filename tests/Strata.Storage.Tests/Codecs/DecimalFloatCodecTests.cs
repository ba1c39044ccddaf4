using System.Buffers;
using CsCheck;
using Strata.Storage.Segments.Codecs;
using static Strata.Storage.Tests.Codecs.CodecGenerators;

namespace Strata.Storage.Tests.Codecs;

public sealed class DecimalFloatCodecTests
{
    private static readonly SpanDecoder<double> Decode = DecimalFloatCodec.Decode;

    private static byte[]? TryEncode(double[] values)
    {
        var output = new ArrayBufferWriter<byte>();
        var encoded = DecimalFloatCodec.TryEncode(values, output);
        if (!encoded)
        {
            output.WrittenCount.ShouldBe(0);
            return null;
        }

        return output.WrittenSpan.ToArray();
    }

    private static byte[] RoundTrip(double[] values)
    {
        var encoded = TryEncode(values).ShouldNotBeNull();
        CodecTesting.Bits(CodecTesting.Decode(Decode, encoded, values.Length)).ShouldBe(CodecTesting.Bits(values));
        return encoded;
    }

    [Fact]
    public void DecimalFloatCodec_RoundTripsWhateverItAccepts() =>
        DoubleSequence.Sample(values =>
        {
            var encoded = TryEncode(values);
            if (encoded is not null)
            {
                CodecTesting.Bits(CodecTesting.Decode(Decode, encoded, values.Length)).ShouldBe(CodecTesting.Bits(values));
            }
        }, iter: 1000);

    [Fact]
    public void DecimalFloatCodec_AcceptsEveryRandomWalkWithUpToSixDecimals() =>
        Gen.Select(Gen.Int[0, 6], Gen.Double[0.001, 100], Gen.Int[0, MaxLength], Gen.Int, Walk).Sample(values =>
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] += 0.0;  // Math.Round(-0.004, 2) is -0.0, which the codec rightly refuses
            }

            RoundTrip(values);
        }, iter: 300);

    [Theory]
    [InlineData(new[] { 52.31, 52.07, 53.11 }, 2)]
    [InlineData(new[] { 1.0, 2.0, -3.0 }, 0)]
    [InlineData(new[] { 0.0, 0.5, 0.25, 0.125 }, 3)]
    [InlineData(new[] { 0.1, 0.2, 0.3 }, 1)]
    [InlineData(new[] { 123456789.123456789 }, -1)]
    [InlineData(new[] { 0.000000001, -0.000000001 }, 9)]
    [InlineData(new[] { 9007199254740992.0, -9007199254740992.0 }, 0)]
    [InlineData(new[] { 1.5, 0.1 + 0.2 }, -1)]
    [InlineData(new[] { 1e-10 }, -1)]
    [InlineData(new[] { 1e300 }, -1)]
    public void DecimalFloatCodec_PicksTheSmallestScaleOrRefuses(double[] values, int scale)
    {
        var encoded = TryEncode(values);
        if (scale < 0)
        {
            encoded.ShouldBeNull();
            return;
        }

        encoded.ShouldNotBeNull()[0].ShouldBe((byte)scale);
        RoundTrip(values);
    }

    [Fact]
    public void DecimalFloatCodec_ListsNegativeZerosAndDecodesThemBitExactly() =>
        Gen.Select(Gen.Int[16, MaxLength], Gen.Int, Gen.Int[1, 4]).Sample((n, seed, zeros) =>
        {
            // A walk that crosses zero writes "-0.00"; up to one value in 16 may be -0.0.
            var values = Walk(2, 1.0, n, seed);
            var random = new Random(seed);
            for (var z = 0; z < Math.Min(zeros, n / 16); z++)
            {
                values[random.Next(n)] = -0.0;
            }

            var encoded = RoundTrip(values);
            (encoded[0] & 0x7F).ShouldBe(2);
            (encoded[0] & 0x80).ShouldBe(values.Any(v => double.IsNegative(v) && v == 0) ? 0x80 : 0);
        }, iter: 200);

    [Fact]
    public void DecimalFloatCodec_RefusesBlocksWithMoreThanOneNegativeZeroIn16()
    {
        TryEncode([1.5, -0.0, 2.5]).ShouldBeNull();
        var values = Walk(2, 1.0, 32, seed: 3);
        values[5] = -0.0;
        values[9] = -0.0;
        RoundTrip(values)[0].ShouldBe((byte)0x82);
        values[20] = -0.0;
        TryEncode(values).ShouldBeNull();
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(9007199254740994.0)]
    public void DecimalFloatCodec_RejectsValuesWithoutAnExactShortDecimal(double odd) => TryEncode([1.25, odd, 3.5]).ShouldBeNull();

    [Fact]
    public void DecimalFloatCodec_EmptyBlockEncodesToNothing() => TryEncode([]).ShouldNotBeNull().Length.ShouldBe(0);

    [Fact]
    public void DecimalFloatCodec_TwoDecimalRandomWalkCostsAboutOneByteAValue()
    {
        var values = Walk(2, 1.0, 1000, seed: 42);
        (RoundTrip(values).Length / 1000.0).ShouldBeLessThanOrEqualTo(1.1);
    }

    [Fact]
    public void DecimalFloatCodec_RejectsEveryTruncation() =>
        DecimalWalk.Sample(values =>
        {
            var encoded = TryEncode(values);
            if (encoded is not null)
            {
                CodecTesting.AssertTruncationsThrow(Decode, encoded, values.Length);
            }
        }, iter: 100);

    [Fact]
    public void DecimalFloatCodec_DecodesOrRejectsGarbage() =>
        CodecTesting.Garbage.Sample(g => CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, g.Bytes, g.Count), iter: 2000);

    [Theory]
    [InlineData(new byte[] { 10, 0, 0, 0, 0, 0 }, 1)]                                     // scale above 9
    [InlineData(new byte[] { 2, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0, 0 }, 1)] // numerator 2^54
    [InlineData(new byte[] { 2 }, 1)]                                                    // no numerators
    [InlineData(new byte[] { 0x82, 0, 1, 0 }, 1)]                                        // an empty list of negative zeros
    [InlineData(new byte[] { 0x82, 2, 0, 0, 1, 0 }, 1)]                                  // more negative zeros than values
    [InlineData(new byte[] { 0x82, 1, 1, 1, 0 }, 1)]                                     // a negative zero after the last value
    [InlineData(new byte[] { 0x82, 1, 0, 1, 2 }, 1)]                                     // a negative zero whose numerator is 1
    [InlineData(new byte[] { 0x82, 1 }, 1)]                                              // a truncated list
    public void DecimalFloatCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => DecimalFloatCodec.Decode(encoded, new double[count]));
}
