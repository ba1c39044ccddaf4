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

    /// <summary>
    /// Sequence numbers (n × 10000 + 1) of one series written <paramref name="perRequest"/> points a request, in
    /// requests of <paramref name="requestPoints"/> points that take their numbers from one node-wide counter, as
    /// concurrent writers commit them: each request up to <paramref name="lateness"/> places out of time order.
    /// </summary>
    private static long[] InterleavedSequenceNumbers(int count, int perRequest, int requestPoints, int lateness, int seed)
    {
        var random = new Random(seed);
        var requests = (count / perRequest) + 1;
        var commitOrder = Enumerable.Range(0, requests).OrderBy(r => r + random.Next(lateness + 1)).ToArray();
        var ordinal = new long[requests];
        for (var k = 0; k < requests; k++)
        {
            ordinal[commitOrder[k]] = k;
        }

        var seqs = new long[count];
        for (var i = 0; i < count; i++)
        {
            var n = (ordinal[i / perRequest] * requestPoints) + 210 + (i % perRequest) + 1;
            seqs[i] = (n * 10_000) + 1;
        }

        return seqs;
    }

    [Fact]
    public void TimestampCodec_InterleavedSequenceNumbersCostOnlyTheirJumps()
    {
        // The README's load workload and W: 5 points of each of 1,000 series per 5,000-point request, 4 writers.
        // Scaled by 10,000 the steps are 1 except every fifth, a multiple of 5,000 less 4: the runs layout keeps
        // only those jumps, scaled again by 5,000 (about 3.4 bytes a jump as patches before).
        foreach (var lateness in new[] { 0, 1, 3 })
        {
            var seqs = InterleavedSequenceNumbers(1000, 5, 5000, lateness, seed: lateness);
            var encoded = CodecTesting.Encode(Encode, seqs);
            (encoded.Length / 1000.0).ShouldBeLessThanOrEqualTo(0.15, $"lateness {lateness}");
            RoundTrip(seqs);
        }
    }

    [Fact]
    public void TimestampCodec_RoundTripsSequencesWithAMajorityStep() =>
        Gen.Select(Gen.Int[3, 1000], Gen.Int[1, 12], Gen.Int[1, 20_000], Gen.Int[0, 6], Gen.Int)
            .Sample((count, perRequest, requestPoints, lateness, seed) =>
                RoundTrip(InterleavedSequenceNumbers(count, perRequest, Math.Max(requestPoints, perRequest), lateness, seed)), iter: 300);

    [Fact]
    public void TimestampCodec_RoundTripsScaledStepsWhoseSumsWrapAround() =>
        Gen.Select(Gen.Int[3, 1000], Gen.Long, Gen.Long[2, 1L << 52], Gen.Int[1, 9000], Gen.Int)
            .Sample((count, start, factor, spread, seed) =>
            {
                // Every step a multiple of one factor, large enough that v[i] − v[0] wraps around 2^64.
                var random = new Random(seed);
                var values = new long[count];
                values[0] = start;
                for (var i = 1; i < count; i++)
                {
                    values[i] = unchecked(values[i - 1] + (random.Next(-spread, spread + 1) * factor));
                }

                RoundTrip(values);
            }, iter: 500);

    [Fact]
    public void TimestampCodec_RoundTripsMajorityStepsWithWildExceptions() =>
        Gen.Select(Gen.Int[3, 600], Gen.Long, Gen.Long, Gen.Int[0, 40], Gen.Int)
            .Sample((count, start, common, exceptionsInHundred, seed) =>
            {
                var random = new Random(seed);
                var values = new long[count];
                values[0] = start;
                for (var i = 1; i < count; i++)
                {
                    var step = random.Next(100) < exceptionsInHundred ? random.NextInt64(long.MinValue, long.MaxValue) : common;
                    values[i] = unchecked(values[i - 1] + step);
                }

                RoundTrip(values);
            }, iter: 500);

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
    [InlineData(new byte[] { 0x41, 0x00, 0x02, 0x00 }, 3)]
    [InlineData(new byte[] { 0x40, 0x00, 0x02, 0x03 }, 3)]
    [InlineData(new byte[] { 0x40, 0x00, 0x02, 0x00, 0x00 }, 3)]
    [InlineData(new byte[] { 0x40, 0x00, 0x02, 0x01, 0x02, 0x02, 0x0A, 0x02, 0x0E }, 3)]
    [InlineData(new byte[] { 0x40, 0x00, 0x02, 0x01, 0x02, 0x02, 0x00, 0x02, 0x0E }, 3)]
    [InlineData(new byte[] { 0x40, 0x00, 0x02, 0x01, 0x09, 0x02, 0x02, 0x02, 0x0E }, 3)]
    [InlineData(new byte[] { 0x40, 0x00, 0x02, 0x01, 0x04, 0x40, 0x02, 0x02, 0x00, 0x02, 0x0E }, 3)]

    // The exception indexes' length counts the length byte itself: one byte past the end (found by the garbage
    // property test, seed 9c4aoXovWlP4, as ArgumentOutOfRangeException instead of InvalidDataException).
    [InlineData(new byte[] { 0x40, 0x00, 0x02, 0x01, 0x03, 0x02, 0x02 }, 3)]
    public void TimestampCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => TimestampCodec.Decode(encoded, new long[count]));

    [Fact]
    public void TimestampCodec_RunsLayoutIsAsDocumented()
    {
        // Runs header, v0 = 0, common step 1 (zigzag 2), one exception at step 1 of size 7: a nested block
        // of the index (order 2, leading value 1) and one of the size (order 2, leading value 7).
        var decoded = new long[3];
        TimestampCodec.Decode([0x40, 0x00, 0x02, 0x01, 0x02, 0x02, 0x02, 0x02, 0x0E], decoded);
        decoded.ShouldBe([0, 7, 8]);

        // Scaled (step 10,000, first 20,001) around the same runs: 20,001, 90,001, 100,001.
        TimestampCodec.Decode([0xC0, 0x90, 0x4E, 0xC2, 0xB8, 0x02, 0x00, 0x02, 0x01, 0x02, 0x02, 0x02, 0x02, 0x0E], decoded);
        decoded.ShouldBe([20_001, 90_001, 100_001]);
    }
}
