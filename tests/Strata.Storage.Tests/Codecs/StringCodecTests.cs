using System.Text;
using CsCheck;
using Strata.Storage.Segments.Codecs;
using static Strata.Storage.Tests.Codecs.CodecGenerators;

namespace Strata.Storage.Tests.Codecs;

public sealed class StringCodecTests
{
    private static readonly SpanEncoder<string> Encode = StringCodec.Encode;
    private static readonly SpanDecoder<string> Decode = StringCodec.Decode;

    private static byte[] RoundTrip(string[] values)
    {
        var encoded = CodecTesting.Encode(Encode, values);
        CodecTesting.Decode(Decode, encoded, values.Length).ShouldBe(values);
        return encoded;
    }

    [Fact]
    public void StringCodec_RoundTripsAnyValidUnicode() => StringSequence.Sample(values => RoundTrip(values), iter: 300);

    public static readonly TheoryData<string[]> EdgeBlocks = new(
        [],
        [""],
        ["", "", ""],
        ["a", "", "b"],
        ["héllo", "wörld", "日本語", "𝄞🎉", "\0", "\uFFFF"]);

    [Theory]
    [MemberData(nameof(EdgeBlocks))]
    public void StringCodec_RoundTripsEmptyAndNonAsciiStrings(string[] values) => RoundTrip(values);

    [Fact]
    public void StringCodec_RoundTripsHugeStrings() =>
        Gen.Select(Gen.Int[1 << 20, 3 << 20], Gen.Bool, Gen.Int).Sample((length, repetitive, seed) =>
        {
            var random = new Random(seed);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = repetitive ? "status=ok;"[i % 10] : (char)random.Next(0x20, 0xD800);
            }

            var huge = new string(chars);
            var encoded = RoundTrip(["before", huge, "", huge[..1000]]);
            if (repetitive)
            {
                encoded[0].ShouldBe(StringCodec.Lz4Tag);
                encoded.Length.ShouldBeLessThan(length / 50);
            }
        }, iter: 6, threads: 1);

    [Fact]
    public void StringCodec_CompressesRepetitiveBlocks()
    {
        var values = new string[1000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 3 == 0 ? "server01.us-west" : i % 3 == 1 ? "server02.us-west" : "server03.eu-central";
        }

        var encoded = RoundTrip(values);
        encoded[0].ShouldBe(StringCodec.Lz4Tag);
        encoded.Length.ShouldBeLessThan(300);
    }

    [Fact]
    public void StringCodec_StoresIncompressibleBlocksRaw()
    {
        var random = new Random(9);
        var values = new string[100];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Convert.ToBase64String(BitConverter.GetBytes(random.NextInt64()));
        }

        var encoded = RoundTrip(values);
        encoded[0].ShouldBe(StringCodec.RawTag);
        encoded.Length.ShouldBe(1 + (100 * 13));
    }

    [Fact]
    public void StringCodec_LoneSurrogatesBecomeReplacementCharacters()
    {
        var encoded = CodecTesting.Encode(Encode, ["a\uD800b", "\uDC00"]);
        CodecTesting.Decode(Decode, encoded, 2).ShouldBe(["a\uFFFDb", "\uFFFD"]);
    }

    [Fact]
    public void StringCodec_InvalidUtf8DecodesToReplacementCharacters()
    {
        byte[] encoded = [StringCodec.RawTag, 2, 0xC3, 0x28];
        CodecTesting.Decode(Decode, encoded, 1).ShouldBe(["\uFFFD("]);
    }

    [Fact]
    public void StringCodec_RejectsEveryTruncation() =>
        StringSequence.Sample(values => CodecTesting.AssertTruncationsThrow(Decode, CodecTesting.Encode(Encode, values), values.Length), iter: 100);

    [Fact]
    public void StringCodec_DecodesOrRejectsGarbage() =>
        CodecTesting.Garbage.Sample(g => CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, g.Bytes, g.Count), iter: 2000);

    [Fact]
    public void StringCodec_DecodesOrRejectsGarbageClaimingLz4() =>
        CodecTesting.Garbage.Sample(g =>
        {
            var bytes = g.Bytes.Length == 0 ? [StringCodec.Lz4Tag] : g.Bytes;
            bytes[0] = StringCodec.Lz4Tag;
            CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, bytes, g.Count);
        }, iter: 3000);

    [Fact]
    public void StringCodec_DecodesOrRejectsFlippedBits() =>
        Gen.Select(StringSequence, Gen.Int).Sample((values, seed) =>
            CodecTesting.AssertCorruptionDecodesOrThrowsInvalidData(Decode, CodecTesting.Encode(Encode, values), values.Length, seed), iter: 1000);

    [Theory]
    [InlineData(new byte[] { 2 }, 1)]                          // unknown flag
    [InlineData(new byte[] { 0, 5, 0x61 }, 1)]                 // string longer than the payload
    [InlineData(new byte[] { 0, 1, 0x61, 0x62 }, 1)]           // unused payload bytes
    [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0x0F, 0 }, 1)] // claims 32 MB from one byte
    [InlineData(new byte[] { 1, 10, 0xF0 }, 1)]                // LZ4 block that does not decompress
    [InlineData(new byte[] { 0 }, 0)]                          // bytes in an empty block
    public void StringCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => StringCodec.Decode(encoded, new string[count]));

    [Fact]
    public void StringCodec_StoresNullAsEmpty() =>
        CodecTesting.Decode(Decode, CodecTesting.Encode(Encode, [null!, "x"]), 2).ShouldBe(["", "x"]);

    [Fact]
    public void StringCodec_PayloadIsLengthPrefixedUtf8()
    {
        var encoded = CodecTesting.Encode(Encode, ["ab", "é"]);
        encoded.ShouldBe([StringCodec.RawTag, 2, (byte)'a', (byte)'b', 2, .. Encoding.UTF8.GetBytes("é")]);
    }
}
