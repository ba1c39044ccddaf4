using CsCheck;
using Strata.Storage.Segments.Codecs;
using static Strata.Storage.Tests.Codecs.CodecGenerators;

namespace Strata.Storage.Tests.Codecs;

public sealed class BooleanCodecTests
{
    private static readonly SpanEncoder<bool> Encode = BooleanCodec.Encode;
    private static readonly SpanDecoder<bool> Decode = BooleanCodec.Decode;

    private static readonly Gen<bool[]> Sequence = Gen.OneOf(
        Gen.Bool.Array[0, MaxLength],
        Gen.Select(Gen.Bool, Gen.Int[0, MaxLength], (value, n) => Enumerable.Repeat(value, n).ToArray()),
        Gen.Frequency((50, Gen.Const(true)), (1, Gen.Const(false))).Array[0, MaxLength]);

    private static byte[] RoundTrip(bool[] values)
    {
        var encoded = CodecTesting.Encode(Encode, values);
        CodecTesting.Decode(Decode, encoded, values.Length).ShouldBe(values);
        return encoded;
    }

    [Fact]
    public void BooleanCodec_RoundTripsAnySequence() => Sequence.Sample(values => RoundTrip(values), iter: 500);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(8, 2)]
    [InlineData(9, 3)]
    [InlineData(16, 3)]
    [InlineData(17, 4)]
    [InlineData(1000, 126)]
    [InlineData(65_535, 8193)]
    public void BooleanCodec_PacksEightValuesPerByte(int count, int bytes)
    {
        var values = new bool[count];
        for (var i = 0; i < count; i += 3)
        {
            values[i] = true;
        }

        if (count > 1)
        {
            values[1] = true;
        }

        RoundTrip(values).Length.ShouldBe(bytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BooleanCodec_ConstantBlockIsOneByte(bool value) =>
        RoundTrip(Enumerable.Repeat(value, 1000).ToArray()).Length.ShouldBe(1);

    [Fact]
    public void BooleanCodec_RejectsEveryTruncation() =>
        Sequence.Sample(values => CodecTesting.AssertTruncationsThrow(Decode, CodecTesting.Encode(Encode, values), values.Length), iter: 100);

    [Fact]
    public void BooleanCodec_DecodesOrRejectsGarbage() =>
        CodecTesting.Garbage.Sample(g => CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, g.Bytes, g.Count), iter: 2000);

    [Theory]
    [InlineData(new byte[0], 1)]
    [InlineData(new byte[] { 3 }, 1)]
    [InlineData(new byte[] { 1, 0 }, 1)]
    [InlineData(new byte[] { 0, 1, 0 }, 8)]
    [InlineData(new byte[] { 0, 0b1000 }, 3)]
    [InlineData(new byte[] { 2 }, 0)]
    public void BooleanCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => BooleanCodec.Decode(encoded, new bool[count]));
}
