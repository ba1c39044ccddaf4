using CsCheck;
using Strata.Storage.Segments.Codecs;
using static Strata.Storage.Tests.Codecs.CodecGenerators;

namespace Strata.Storage.Tests.Codecs;

public sealed class GorillaFloatCodecTests
{
    private static readonly SpanEncoder<double> Encode = GorillaFloatCodec.Encode;
    private static readonly SpanDecoder<double> Decode = GorillaFloatCodec.Decode;

    private static byte[] RoundTrip(double[] values)
    {
        var encoded = CodecTesting.Encode(Encode, values);
        CodecTesting.Bits(CodecTesting.Decode(Decode, encoded, values.Length)).ShouldBe(CodecTesting.Bits(values));
        return encoded;
    }

    [Fact]
    public void GorillaFloatCodec_RoundTripsAnyDoublesBitExactly() => DoubleSequence.Sample(values => RoundTrip(values), iter: 500);

    [Fact]
    public void GorillaFloatCodec_RoundTripsNaNPayloadsInfinitiesNegativeZeroAndSubnormals() => RoundTrip(SpecialDoubles);

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 0.0 })]
    [InlineData(new[] { -0.0, 0.0, -0.0 })]
    [InlineData(new[] { double.NaN, double.NaN, double.PositiveInfinity, double.NegativeInfinity })]
    [InlineData(new[] { double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue })]
    [InlineData(new[] { 1.0, 1.0, 1.0, 1.0 })]
    [InlineData(new[] { 1.0, 2.0, 1.0, 2.0, 1.0 })]
    public void GorillaFloatCodec_RoundTripsEdgeBlocks(double[] values) => RoundTrip(values);

    [Fact]
    public void GorillaFloatCodec_RoundTripsLongestBlock() =>
        RoundTrip(BitPatternDouble.Array[65_535].Single());

    [Fact]
    public void GorillaFloatCodec_RepeatedValueCostsOneBitAValue() =>
        RoundTrip(Enumerable.Repeat(52.31, 1000).ToArray()).Length.ShouldBe(8 + 125);

    [Fact]
    public void GorillaFloatCodec_WorstCaseStaysWithinTheSizeBound() =>
        BitPatternDouble.Array[1, MaxLength].Sample(values =>
            (RoundTrip(values).Length + 8).ShouldBeLessThanOrEqualTo(GorillaFloatCodec.MaxEncodedLength(values.Length)), iter: 200);

    [Fact]
    public void GorillaFloatCodec_RejectsEveryTruncation() =>
        DoubleSequence.Sample(values => CodecTesting.AssertTruncationsThrow(Decode, CodecTesting.Encode(Encode, values), values.Length), iter: 100);

    [Fact]
    public void GorillaFloatCodec_DecodesOrRejectsGarbage() =>
        CodecTesting.Garbage.Sample(g => CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, g.Bytes, g.Count), iter: 2000);

    [Fact]
    public void GorillaFloatCodec_DecodesOrRejectsFlippedBits() =>
        Gen.Select(DoubleSequence, Gen.Int).Sample((values, seed) =>
            CodecTesting.AssertCorruptionDecodesOrThrowsInvalidData(Decode, CodecTesting.Encode(Encode, values), values.Length, seed), iter: 1000);

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0 }, 1)]                            // first value truncated
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 1)]                      // trailing byte
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0b01 }, 2)]                   // window reused before one exists
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0b1111_1111, 0b0000_1111 }, 2)] // window of 31 + 64 bits
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0b10 }, 2)]                   // non-zero padding
    [InlineData(new byte[] { 0 }, 0)]                                              // bytes in an empty block
    public void GorillaFloatCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => GorillaFloatCodec.Decode(encoded, new double[count]));
}
