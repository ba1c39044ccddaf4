using CsCheck;
using Strata.Storage.Segments.Codecs;
using static Strata.Storage.Tests.Codecs.CodecGenerators;

namespace Strata.Storage.Tests.Codecs;

public sealed class FloatCodecTests
{
    private static readonly SpanEncoder<double> Encode = FloatCodec.Encode;
    private static readonly SpanDecoder<double> Decode = FloatCodec.Decode;

    private static byte[] RoundTrip(double[] values)
    {
        var encoded = CodecTesting.Encode(Encode, values);
        CodecTesting.Bits(CodecTesting.Decode(Decode, encoded, values.Length)).ShouldBe(CodecTesting.Bits(values));
        return encoded;
    }

    [Fact]
    public void FloatCodec_RoundTripsAnyDoublesBitExactly() => DoubleSequence.Sample(values => RoundTrip(values), iter: 1000);

    [Fact]
    public void FloatCodec_IsNeverLargerThanGorillaPlusTheTag() =>
        DoubleSequence.Sample(values =>
            RoundTrip(values).Length.ShouldBeLessThanOrEqualTo(CodecTesting.Encode(GorillaFloatCodec.Encode, values).Length + (values.Length == 0 ? 0 : 1)), iter: 300);

    [Fact]
    public void FloatCodec_PicksDecimalForTwoDecimalRandomWalk()
    {
        var values = Walk(2, 1.0, 1000, seed: 42);
        var encoded = RoundTrip(values);
        encoded[0].ShouldBe(FloatCodec.DecimalTag);
        (encoded.Length / 1000.0).ShouldBeLessThanOrEqualTo(1.5);
    }

    [Fact]
    public void FloatCodec_TwoDecimalRandomWalksCostAtMostOneAndAHalfBytesAValue() =>
        Gen.Int.Sample(seed => (RoundTrip(Walk(2, 1.0, 1000, seed)).Length / 1000.0).ShouldBeLessThanOrEqualTo(1.5), iter: 50);

    [Fact]
    public void FloatCodec_PicksGorillaForRandomDoubles()
    {
        var random = new Random(5);
        var values = new double[1000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() * 1000;
        }

        RoundTrip(values)[0].ShouldBe(FloatCodec.GorillaTag);
    }

    [Fact]
    public void FloatCodec_KeepsDecimalWhenAWalkCrossesZero()
    {
        // A 2-decimal walk that crosses zero is sent as "-0.00" now and then.
        var values = Walk(2, 1.0, 1000, seed: 42);
        values[700] = -0.0;
        var encoded = RoundTrip(values);
        encoded[0].ShouldBe(FloatCodec.DecimalTag);
        (encoded.Length / 1000.0).ShouldBeLessThanOrEqualTo(1.1);
    }

    [Fact]
    public void FloatCodec_PicksGorillaWhenNegativeZerosAreCommon()
    {
        var values = Walk(2, 1.0, 1000, seed: 42);
        for (var i = 0; i < values.Length; i += 8)
        {
            values[i] = -0.0;
        }

        RoundTrip(values)[0].ShouldBe(FloatCodec.GorillaTag);
    }

    [Fact]
    public void FloatCodec_PicksGorillaForARepeatedValueWhenThatIsSmaller()
    {
        // One bit a value for Gorilla; the decimal path is also tiny here, whichever is smaller wins.
        var values = Enumerable.Repeat(1.0 / 3, 1000).ToArray();
        RoundTrip(values)[0].ShouldBe(FloatCodec.GorillaTag);
        RoundTrip(Enumerable.Repeat(20.5, 1000).ToArray()).Length.ShouldBeLessThanOrEqualTo(8);
    }

    [Theory]
    [InlineData(new double[0], 0)]
    [InlineData(new[] { double.NaN }, 9)]
    [InlineData(new[] { 1.0 }, 4)]
    [InlineData(new[] { 1.0, 2.0 }, 6)]
    public void FloatCodec_TinyBlocksStayTiny(double[] values, int maxBytes) => RoundTrip(values).Length.ShouldBeLessThanOrEqualTo(maxBytes);

    [Fact]
    public void FloatCodec_RejectsEveryTruncation() =>
        DoubleSequence.Sample(values => CodecTesting.AssertTruncationsThrow(Decode, CodecTesting.Encode(Encode, values), values.Length), iter: 200);

    [Fact]
    public void FloatCodec_DecodesOrRejectsGarbage() =>
        CodecTesting.Garbage.Sample(g => CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, g.Bytes, g.Count), iter: 3000);

    [Fact]
    public void FloatCodec_DecodesOrRejectsFlippedBits() =>
        Gen.Select(DoubleSequence, Gen.Int).Sample((values, seed) =>
            CodecTesting.AssertCorruptionDecodesOrThrowsInvalidData(Decode, CodecTesting.Encode(Encode, values), values.Length, seed), iter: 1000);

    [Theory]
    [InlineData(new byte[0], 1)]
    [InlineData(new byte[] { 2, 0 }, 1)]
    [InlineData(new byte[] { 0 }, 0)]
    public void FloatCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => FloatCodec.Decode(encoded, new double[count]));
}
