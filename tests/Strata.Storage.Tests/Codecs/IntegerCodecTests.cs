using CsCheck;
using Strata.Storage.Segments.Codecs;
using static Strata.Storage.Tests.Codecs.CodecGenerators;

namespace Strata.Storage.Tests.Codecs;

public sealed class IntegerCodecTests
{
    private static readonly SpanEncoder<long> Encode = IntegerCodec.Encode;
    private static readonly SpanDecoder<long> Decode = IntegerCodec.Decode;

    private static byte[] RoundTrip(long[] values)
    {
        var encoded = CodecTesting.Encode(Encode, values);
        CodecTesting.Decode(Decode, encoded, values.Length).ShouldBe(values);
        return encoded;
    }

    /// <summary>
    /// Ranking the smallest residuals by counting (narrow ranges) plans exactly what the heap does: the same base
    /// candidates, so the same encoding. Blocks of every size, residual ranges just under and over the counting limit.
    /// </summary>
    [Fact]
    public void Measure_RanksByCountingExactlyAsTheHeapDoes() =>
        Gen.Select(Gen.Int[2, 9000], Gen.OneOf(Gen.Int[1, 64], Gen.Int[FrameOfReference.CountingRange - 8, FrameOfReference.CountingRange + 8], Gen.Int[1, 1 << 20]), Gen.Int, Gen.Int[0, 2])
            .Sample((n, spread, seed, walk) =>
            {
                var random = new Random(seed);
                var values = new long[n];
                long value = random.Next();
                for (var i = 0; i < n; i++)
                {
                    // A random walk (order 1 narrow), its running sum (order 2 narrow) or plain values (order 0 narrow).
                    var step = random.Next(spread) - (spread / 2);
                    value = walk switch { 0 => step, 1 => value + step, _ => value + (i * 3L) + step };
                    values[i] = value;
                }

                for (var order = 0; order <= FrameOfReference.MaxOrder; order++)
                {
                    FrameOfReference.Measure(values, order).ShouldBe(FrameOfReference.MeasureByHeap(values, order), $"order {order}");
                }
            }, iter: 300);

    [Fact]
    public void IntegerCodec_RoundTripsAnySequence() => LongSequence.Sample(values => RoundTrip(values), iter: 500);

    [Fact]
    public void IntegerCodec_RoundTripsEveryPackedWidthAndLength() =>
        // Values of up to `bits` random bits pack at about that width; short blocks and the last fields of long ones
        // take the unpacker's byte-by-byte tail, the rest its 8-byte loads.
        Gen.Select(Gen.Int[1, 64], Gen.Int[1, 300], Gen.ULong).Sample((bits, count, seed) =>
        {
            var random = new Random((int)seed);
            var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            var values = new long[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = (long)((ulong)random.NextInt64() ^ ((ulong)random.Next() << 63)) & (long)mask;
            }

            RoundTrip(values);
        }, iter: 2000);

    [Theory]
    [InlineData(new long[0])]
    [InlineData(new long[] { 0 })]
    [InlineData(new long[] { long.MaxValue })]
    [InlineData(new long[] { long.MinValue, long.MaxValue })]
    [InlineData(new long[] { long.MaxValue, long.MinValue, long.MaxValue })]
    [InlineData(new long[] { 0, long.MinValue, 0, long.MaxValue, -1, 1 })]
    [InlineData(new long[] { 7, 7, 7, 7 })]
    [InlineData(new long[] { 3, 2, 1, 0, -1, -2 })]
    public void IntegerCodec_RoundTripsExtremeAndMonotonicValues(long[] values) => RoundTrip(values);

    [Theory]
    [InlineData(0, 0, 3)]         // constant
    [InlineData(100, 1, 5)]       // counter +1
    [InlineData(-5, -1_000, 8)]   // falling counter
    public void IntegerCodec_SteadyCountersCostOnlyTheirHeader(long start, long step, int maxBytes)
    {
        var values = Arithmetic(start, step, 1000);
        RoundTrip(values).Length.ShouldBeLessThanOrEqualTo(maxBytes + 4);
    }

    [Fact]
    public void IntegerCodec_SmallWalkCostsAboutOneByteAValue()
    {
        var random = new Random(3);
        var values = new long[1000];
        for (var i = 1; i < values.Length; i++)
        {
            values[i] = values[i - 1] + random.Next(-100, 101);
        }

        (RoundTrip(values).Length / 1000.0).ShouldBeLessThanOrEqualTo(1.05);
    }

    [Fact]
    public void IntegerCodec_RareSpikesArePatchedInsteadOfWideningTheBlock()
    {
        var values = new long[1000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 100 == 0 ? long.MaxValue / 3 : i % 7;
        }

        // 3 bits a value plus 10 patches of ~10 bytes, against 8 bytes a value at full width.
        RoundTrip(values).Length.ShouldBeLessThan(600);
    }

    [Fact]
    public void IntegerCodec_RandomValuesStayWithinEightBytesAValue() =>
        Gen.Long.Array[1, MaxLength].Sample(values => RoundTrip(values).Length.ShouldBeLessThanOrEqualTo((8 * values.Length) + 30), iter: 200);

    [Fact]
    public void IntegerCodec_OrderChoiceIsCloseToTheBestOrder() =>
        Gen.OneOf(ShapedLongSequence, Gen.Long.Array[3, MaxLength]).Where(values => values.Length > 2).Sample(values =>
        {
            var best = long.MaxValue;
            for (var order = 0; order <= FrameOfReference.MaxOrder; order++)
            {
                var leading = order == 0 ? 0 : VarInt.Length(VarInt.ZigZag(values[0])) + (order == 2 ? VarInt.Length(VarInt.ZigZag(values[1] - values[0])) : 0);
                best = Math.Min(best, 1 + leading + (FrameOfReference.Measure(values, order).Bits / 8));
            }

            // Orders whose estimate is close are measured; one the estimate puts far off may still be best, not by much
            // (runs of long.MinValue/MaxValue can fool the estimate more).
            ((long)RoundTrip(values).Length).ShouldBeLessThanOrEqualTo((best * 13 / 10) + 32);
        }, iter: 1000);

    [Theory]
    [InlineData(0)]     // noise around a level
    [InlineData(1)]     // walk
    [InlineData(2)]     // counter with a steadily rising rate
    public void IntegerCodec_ChoosesTheOrderThatFitsTheShape(int expected)
    {
        var random = new Random(11);
        var values = new long[1000];
        long walk = 0;
        for (var i = 0; i < values.Length; i++)
        {
            walk += random.Next(-100, 101);
            values[i] = expected switch
            {
                0 => 1_000_000 + random.Next(-100, 101),
                1 => walk,
                _ => 7L * i * i,
            };
        }

        var encoded = RoundTrip(values);
        encoded[0].ShouldBe((byte)expected);
    }

    [Fact]
    public void IntegerCodec_PacksAUniformStepWalkAsDeltas() =>
        Gen.Select(Gen.Int, Gen.Int[1000, 8192]).Sample((seed, n) =>
        {
            // The delta-of-deltas bunch near 0 and can look smaller to the estimate; measured, they are a bit wider.
            var random = new Random(seed);
            var values = new long[n];
            for (var i = 1; i < n; i++)
            {
                values[i] = values[i - 1] + random.Next(-100, 101);
            }

            var encoded = RoundTrip(values);
            encoded[0].ShouldBe((byte)1);
            encoded.Length.ShouldBeLessThanOrEqualTo(n + 16);
        }, iter: 50);

    [Fact]
    public void IntegerCodec_RejectsEveryTruncation() =>
        LongSequence.Sample(values => CodecTesting.AssertTruncationsThrow(Decode, CodecTesting.Encode(Encode, values), values.Length), iter: 100);

    [Fact]
    public void IntegerCodec_DecodesOrRejectsGarbage() =>
        CodecTesting.Garbage.Sample(g => CodecTesting.AssertGarbageDecodesOrThrowsInvalidData(Decode, g.Bytes, g.Count), iter: 2000);

    [Fact]
    public void IntegerCodec_DecodesOrRejectsFlippedBits() =>
        Gen.Select(LongSequence, Gen.Int).Sample((values, seed) =>
            CodecTesting.AssertCorruptionDecodesOrThrowsInvalidData(Decode, CodecTesting.Encode(Encode, values), values.Length, seed), iter: 1000);

    [Theory]
    [InlineData(new byte[] { 3, 0 }, 1)]                     // unknown order
    [InlineData(new byte[] { 0, 0, 65, 0 }, 1)]              // width above 64
    [InlineData(new byte[] { 0, 0, 1, 2 }, 2)]               // more patches than values
    [InlineData(new byte[] { 0, 0, 0, 1, 5, 1 }, 2)]         // patch position out of range
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0 }, 2)]         // patch of zero high bits
    [InlineData(new byte[] { 0, 0, 0, 0, 9 }, 2)]            // trailing byte
    [InlineData(new byte[] { 0, 0, 8, 0, 0x01 }, 2)]         // packed values truncated
    [InlineData(new byte[] { 1 }, 0)]                        // bytes in an empty block
    public void IntegerCodec_RejectsMalformedBlocks(byte[] encoded, int count) =>
        Should.Throw<InvalidDataException>(() => IntegerCodec.Decode(encoded, new long[count]));
}
