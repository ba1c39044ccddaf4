using System.Buffers;
using CsCheck;
using Strata.Storage.Segments.Codecs;
using static Strata.Storage.Tests.Codecs.CodecGenerators;

namespace Strata.Storage.Tests.Codecs;

public sealed class TimestampCodecTests
{
    private static readonly SpanEncoder<long> Encode = TimestampCodec.Encode;
    private static readonly SpanDecoder<long> Decode = TimestampCodec.Decode;

    private static void RoundTrip(long[] values)
    {
        var encoded = CodecTesting.Encode(Encode, values);
        CodecTesting.Decode(Decode, encoded, values.Length).ShouldBe(values);
    }

    [Fact]
    public void TimestampCodec_RoundTripsAnySequence() => LongSequence.Sample(RoundTrip, iter: 500);

    [Theory]
    [InlineData(new long[0])]
    [InlineData(new long[] { 0 })]
    [InlineData(new long[] { long.MinValue })]
    [InlineData(new long[] { long.MaxValue, long.MinValue })]
    [InlineData(new long[] { long.MinValue, long.MaxValue, long.MinValue, long.MaxValue })]
    [InlineData(new long[] { 5, 5, 5, 5, 5 })]
    [InlineData(new long[] { 50, 40, 30, 20, 10, 0, -10 })]
    [InlineData(new long[] { 10, 10, 20, 20, 15, 15, 30 })]
    [InlineData(new long[] { -1, 0, 1, long.MaxValue, long.MinValue, 0, 0 })]
    public void TimestampCodec_RoundTripsDecreasingEqualAndExtremeValues(long[] values) => RoundTrip(values);

    [Fact]
    public void TimestampCodec_RoundTripsLongestBlock() =>
        RoundTrip(Jittered(Epoch, TenSeconds, 1000, 65_535, seed: 7));

    [Fact]
    public void TimestampCodec_ConstantSpacingCostsUnderFiveHundredthsOfAByteAValue()
    {
        var times = Arithmetic(Epoch, TenSeconds, 1000);
        var bytes = CodecTesting.Encode(Encode, times).Length;
        (bytes / 1000.0).ShouldBeLessThanOrEqualTo(0.05);
        bytes.ShouldBeLessThanOrEqualTo(16);
    }

    [Fact]
    public void TimestampCodec_InterleavedSequenceNumbersAreScaledByTheirCommonStep()
    {
        // A series written 5 points at a time while 999 other series take their numbers in between:
        // steps of 10,000 with a jump of ~5,000 × 10,000 every fifth point (the README's load workload).
        var seqs = new long[1000];
        for (var i = 0; i < seqs.Length; i++)
        {
            seqs[i] = ((((long)(i / 5) * 5000) + (i % 5) + 1) * 10_000) + 1;
        }

        var encoded = CodecTesting.Encode(Encode, seqs);
        (encoded.Length / 1000.0).ShouldBeLessThanOrEqualTo(0.8);
        RoundTrip(seqs);
    }

    [Fact]
    public void TimestampCodec_SequenceNumbersSteppingByTenThousandCostUnderFiveHundredthsOfAByteAValue()
    {
        var seqs = Arithmetic(1_234_560_000, 10_000, 1000);
        (CodecTesting.Encode(Encode, seqs).Length / 1000.0).ShouldBeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void TimestampCodec_OneLateTimestampDoesNotWidenTheBlock()
    {
        var times = Arithmetic(Epoch, TenSeconds, 1000);
        times[500] += 3_000_000;

        // 15 bytes of header and three patches (+3 s, -6 s, +3 s) of about 6 bytes, not 23 bits a value.
        CodecTesting.Encode(Encode, times).Length.ShouldBeLessThanOrEqualTo(40);
        RoundTrip(times);
    }

    [Fact]
    public void TimestampCodec_MissedPointsArePatchedInsteadOfWideningTheBlock()
    {
        // Every 50th point missing: a +10 s / -10 s pair of delta-of-deltas per gap.
        var times = new long[1000];
        for (int i = 0, slot = 0; i < times.Length; i++, slot++)
        {
            slot += i % 50 == 49 ? 1 : 0;
            times[i] = Epoch + (slot * TenSeconds);
        }

        CodecTesting.Encode(Encode, times).Length.ShouldBeLessThanOrEqualTo(15 + (40 * 7));
        RoundTrip(times);
    }

    [Fact]
    public void TimestampCodec_JitteredTimestampsCostAboutTheBitsOfTheJitter()
    {
        // ±1 ms of jitter: delta-of-deltas within ±2,000 µs, 12 bits each.
        var times = new long[1000];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = Epoch + (i * TenSeconds) + new Random(i).Next(-1000, 1001);
        }

        (CodecTesting.Encode(Encode, times).Length / 1000.0).ShouldBeLessThanOrEqualTo(1.6);
    }

    [Fact]
    public void TimestampCodec_AppendsAfterWhatTheOutputAlreadyHolds()
    {
        var times = Arithmetic(Epoch, TenSeconds, 100);
        var seqs = Arithmetic(1, 1, 100);
        var output = new ArrayBufferWriter<byte>();
        output.Write<byte>([1, 2, 3]);
        TimestampCodec.Encode(times, output);
        var timesLength = output.WrittenCount - 3;
        TimestampCodec.Encode(seqs, output);
        var decodedTimes = new long[100];
        var decodedSeqs = new long[100];
        TimestampCodec.Decode(output.WrittenSpan.Slice(3, timesLength), decodedTimes);
        TimestampCodec.Decode(output.WrittenSpan[(3 + timesLength)..], decodedSeqs);
        decodedTimes.ShouldBe(times);
        decodedSeqs.ShouldBe(seqs);
    }

    [Fact]
    public void TimestampCodec_RejectsEveryTruncation() =>
        LongSequence.Sample(values => CodecTesting.AssertTruncationsThrow(Decode, CodecTesting.Encode(Encode, values), values.Length), iter: 100);

    [Fact]
    public void TimestampCodec_DecodesOrRejectsGarbage() =>
        CodecTesting.Garbage.Sample(g => CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, g.Bytes, g.Count), iter: 2000);

    [Fact]
    public void TimestampCodec_DecodesOrRejectsFlippedBits() =>
        Gen.Select(LongSequence, Gen.Int).Sample((values, seed) =>
            CodecTesting.AssertCorruptionDecodesOrThrowsInvalidData(Decode, CodecTesting.Encode(Encode, values), values.Length, seed), iter: 1000);

    [Theory]
    [InlineData(new byte[0], 1)]
    [InlineData(new byte[] { 0x80 }, 1)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, 1)]
    [InlineData(new byte[] { 0x00 }, 0)]
    [InlineData(new byte[] { 0x00, 0x00 }, 1)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 65, 0x00 }, 3)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 1, 0x05 }, 3)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 1, 0x01, 0x00 }, 3)]
    public void TimestampCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => TimestampCodec.Decode(encoded, new long[count]));
}
