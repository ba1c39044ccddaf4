using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Planning: which order <see cref="IntegerCodec"/> uses, and per block the base and width that make the
/// packed residuals smallest. Everything here only reads the values; <c>FrameOfReference.cs</c> writes them.
/// </summary>
internal static partial class FrameOfReference
{
    /// <summary>Low residuals tracked to find base candidates: the smallest 1/8 of the block (at least 8), at most this many.</summary>
    private const int MaxTracked = 128;

    private const int Buckets = 130;

    /// <summary>
    /// Plans the packing of <paramref name="values"/> at <paramref name="order"/>. Its size leaves out the
    /// leading values; a block of at most <paramref name="order"/> values has no residuals.
    /// </summary>
    public static Plan Measure(ReadOnlySpan<long> values, int order) => order switch
    {
        0 => Measure<Order0>(values),
        1 => Measure<Order1>(values),
        2 => Measure<Order2>(values),
        _ => throw new ArgumentOutOfRangeException(nameof(order)),
    };

    /// <summary>
    /// The plan <see cref="IntegerCodec"/> uses: the order is picked by <see cref="Estimate"/>, and every order
    /// whose estimate comes within an eighth of the smallest is measured exactly, so that a rough estimate
    /// (residuals bunched near a typical value, as the delta-of-deltas of a random walk are) does not pick an
    /// order that packs worse. Orders far off, such as the values of a counter, are not measured, nor is a second
    /// order when even the smallest estimate is over 62 bits a value.
    /// </summary>
    public static Plan ChoosePlan(ReadOnlySpan<long> values)
    {
        if (values.Length <= MaxOrder)
        {
            return Measure(values, values.Length);
        }

        Span<long> estimates = stackalloc long[MaxOrder + 1];
        Estimate(values, estimates);
        var smallest = Math.Min(estimates[0], Math.Min(estimates[1], estimates[2]));

        // Incompressible blocks (random bits) gain nothing from a second plan.
        var incompressible = smallest >= 62L * (values.Length - 2);
        var reach = incompressible ? smallest : smallest + (smallest >> 3) + 64;
        Plan best = default;
        var bestBits = long.MaxValue;
        for (var order = 0; order <= MaxOrder; order++)
        {
            if (estimates[order] > reach || (incompressible && bestBits != long.MaxValue))
            {
                continue;
            }

            var plan = Measure(values, order);
            var bits = plan.Bits + LeadingBits(values, order);
            if (bits < bestBits)
            {
                (best, bestBits) = (plan, bits);
            }
        }

        return best;
    }

    /// <summary>Bits of the leading values an order stores before its residuals.</summary>
    private static long LeadingBits(ReadOnlySpan<long> values, int order) => order switch
    {
        0 => 0,
        1 => VarInt.Length(VarInt.ZigZag(values[0])) * 8L,
        _ => (VarInt.Length(VarInt.ZigZag(values[0])) + VarInt.Length(VarInt.ZigZag(unchecked(values[1] - values[0])))) * 8L,
    };

    /// <summary>
    /// Estimates each order's packed size in bits, in one pass (at least 3 values). Each order's size is the
    /// bits of its residuals' range times their count, which is exact for packing without patches. When
    /// outliers inflate the range — the mean bit length of the residuals' zigzag'd distance from a typical
    /// one is over 2 bits below the range's — that mean plus one bit is used instead, since patches charge
    /// an outlier once rather than per value.
    /// </summary>
    private static void Estimate(ReadOnlySpan<long> values, Span<long> estimates)
    {
        unchecked
        {
            // Distances are measured from the median of seven residuals spread over the block, so that
            // outliers (missed timestamps, spikes) are not taken as the reference.
            var reference0 = TypicalResidual<Order0>(values);
            var reference1 = TypicalResidual<Order1>(values);
            var reference2 = TypicalResidual<Order2>(values);
            ref var v = ref MemoryMarshal.GetReference(values);
            var previous = Unsafe.Add(ref v, 1);
            var delta = previous - v;
            long distance0 = 0, distance1 = 0, distance2 = 0;
            long min0 = long.MaxValue, min1 = long.MaxValue, min2 = long.MaxValue;
            long max0 = long.MinValue, max1 = long.MinValue, max2 = long.MinValue;
            for (var i = 2; i < values.Length; i++)
            {
                var r0 = Unsafe.Add(ref v, i);
                var r1 = r0 - previous;
                var r2 = r1 - delta;
                distance0 += BitLength(VarInt.ZigZag(r0 - reference0));
                distance1 += BitLength(VarInt.ZigZag(r1 - reference1));
                distance2 += BitLength(VarInt.ZigZag(r2 - reference2));
                min0 = Math.Min(min0, r0);
                max0 = Math.Max(max0, r0);
                min1 = Math.Min(min1, r1);
                max1 = Math.Max(max1, r1);
                min2 = Math.Min(min2, r2);
                max2 = Math.Max(max2, r2);
                previous = r0;
                delta = r1;
            }

            var m = values.Length - 2L;
            estimates[0] = Size(distance0, BitLength((ulong)(max0 - min0)), m);
            estimates[1] = Size(distance1, BitLength((ulong)(max1 - min1)), m);
            estimates[2] = Size(distance2, BitLength((ulong)(max2 - min2)), m);
        }

        static long Size(long distanceBits, int rangeBits, long count)
        {
            var packed = count * rangeBits;
            return distanceBits < packed - (2 * count) ? distanceBits + count : packed;
        }
    }

    /// <summary>The median of seven residuals at evenly spread positions (needs at least 3 values).</summary>
    private static long TypicalResidual<TOrder>(ReadOnlySpan<long> values)
        where TOrder : struct, IOrder
    {
        const int Samples = 7;
        Span<long> samples = stackalloc long[Samples];
        ref var v = ref MemoryMarshal.GetReference(values);
        var span = values.Length - 1 - MaxOrder;
        for (var k = 0; k < Samples; k++)
        {
            samples[k] = TOrder.Residual(ref v, MaxOrder + (k * span / (Samples - 1)));
        }

        samples.Sort();
        return samples[Samples / 2];
    }

    /// <summary>Residual ranges below this are ranked by counting (a histogram on the stack) instead of a heap.</summary>
    internal const int CountingRange = 2048;

    private static Plan Measure<TOrder>(ReadOnlySpan<long> values, int countingRange = CountingRange)
        where TOrder : struct, IOrder
    {
        var order = TOrder.Order;
        if (values.Length <= order)
        {
            return new Plan(order, 0, 0, 0, 0);
        }

        var m = values.Length - order;
        var min = long.MaxValue;
        var max = long.MinValue;
        ref var v = ref MemoryMarshal.GetReference(values);
        for (var i = order; i < values.Length; i++)
        {
            var r = TOrder.Residual(ref v, i);
            min = Math.Min(min, r);
            max = Math.Max(max, r);
        }

        if (min == max)
        {
            // Constant residuals (regular timestamps, steady counters): width 0, no patches.
            return new Plan(order, min, 0, 0, (VarInt.Length(VarInt.ZigZag(min)) + 2) * 8);
        }

        // Base candidates: the minimum, and values that leave the lowest 1.5% or 12.5% of the residuals
        // (small blocks: the lowest 1 or 7) below them as patches — a missed timestamp makes one
        // delta-of-delta far below the others, spikes in both directions make deltas far on both sides.
        // Both are ranks among the smallest `tracked` residuals.
        Span<long> bases = stackalloc long[3];
        bases[0] = min;
        var candidates = 1;
        var tracked = Math.Min(Math.Max(m >> 3, Math.Min(m, 8)), MaxTracked);
        if (tracked >= 8)
        {
            var lowRank = Math.Max(tracked >> 3, 1);
            var (low, high) = unchecked((ulong)(max - min)) < (ulong)countingRange
                ? RanksByCounting<TOrder>(values, min, (int)(max - min) + 1, lowRank, tracked - 1)
                : RanksByHeap<TOrder>(values, tracked, lowRank);
            if (low != min)
            {
                bases[candidates++] = low;
            }

            if (high != low)
            {
                bases[candidates++] = high;
            }
        }

        return Evaluate<TOrder>(values, bases[..candidates]);
    }

    /// <summary>The residuals of ranks <paramref name="lowRank"/> and <paramref name="highRank"/> (0 = smallest), from a histogram of the range.</summary>
    private static (long Low, long High) RanksByCounting<TOrder>(ReadOnlySpan<long> values, long min, int range, int lowRank, int highRank)
        where TOrder : struct, IOrder
    {
        Span<int> counts = stackalloc int[range];
        counts.Clear();
        ref var c = ref MemoryMarshal.GetReference(counts);
        ref var v = ref MemoryMarshal.GetReference(values);
        for (var i = TOrder.Order; i < values.Length; i++)
        {
            Unsafe.Add(ref c, (int)(TOrder.Residual(ref v, i) - min))++;
        }

        long low = min;
        var seen = 0;
        for (var offset = 0; offset < range; offset++)
        {
            var before = seen;
            seen += counts[offset];
            if (before <= lowRank && lowRank < seen)
            {
                low = min + offset;
            }

            if (highRank < seen)
            {
                return (low, min + offset);
            }
        }

        throw new InvalidOperationException("BUG: fewer residuals than ranks");
    }

    /// <summary>The same ranks from a max-heap of the <paramref name="tracked"/> smallest residuals (any range).</summary>
    private static (long Low, long High) RanksByHeap<TOrder>(ReadOnlySpan<long> values, int tracked, int lowRank)
        where TOrder : struct, IOrder
    {
        Span<long> smallest = stackalloc long[MaxTracked];
        var heapSize = 0;
        ref var v = ref MemoryMarshal.GetReference(values);
        for (var i = TOrder.Order; i < values.Length; i++)
        {
            var r = TOrder.Residual(ref v, i);
            if (heapSize < tracked)
            {
                HeapPush(smallest, ref heapSize, r);
            }
            else if (r < smallest[0])
            {
                HeapReplaceTop(smallest[..heapSize], r);
            }
        }

        var sorted = smallest[..heapSize];
        sorted.Sort();
        return (sorted[lowRank], sorted[tracked - 1]);
    }

    /// <summary><see cref="Measure(ReadOnlySpan{long}, int)"/> with ranks always taken from the heap, for tests that compare the two ways.</summary>
    internal static Plan MeasureByHeap(ReadOnlySpan<long> values, int order) => order switch
    {
        0 => Measure<Order0>(values, countingRange: 0),
        1 => Measure<Order1>(values, countingRange: 0),
        2 => Measure<Order2>(values, countingRange: 0),
        _ => throw new ArgumentOutOfRangeException(nameof(order)),
    };

    /// <summary>
    /// Chooses the base and width from histograms of the offsets' bit lengths, one per candidate base,
    /// filled in a single pass.
    /// </summary>
    private static Plan Evaluate<TOrder>(ReadOnlySpan<long> values, ReadOnlySpan<long> bases)
        where TOrder : struct, IOrder
    {
        var order = TOrder.Order;
        Span<int> histograms = stackalloc int[3 * Buckets];
        histograms.Clear();
        ref var h = ref MemoryMarshal.GetReference(histograms);
        ref var v = ref MemoryMarshal.GetReference(values);
        var base0 = bases[0];
        if (bases.Length == 1)
        {
            for (var i = order; i < values.Length; i++)
            {
                Unsafe.Add(ref h, Bucket(TOrder.Residual(ref v, i), base0))++;
            }
        }
        else
        {
            var base1 = bases[1];
            var base2 = bases.Length > 2 ? bases[2] : base1;
            for (var i = order; i < values.Length; i++)
            {
                var r = TOrder.Residual(ref v, i);
                Unsafe.Add(ref h, Bucket(r, base0))++;
                Unsafe.Add(ref h, Buckets + Bucket(r, base1))++;
                Unsafe.Add(ref h, (2 * Buckets) + Bucket(r, base2))++;
            }
        }

        var best = ChooseWidth(histograms[..Buckets], values.Length - order, order, base0);
        for (var k = 1; k < bases.Length; k++)
        {
            var plan = ChooseWidth(histograms.Slice(k * Buckets, Buckets), values.Length - order, order, bases[k]);
            best = plan.Bits < best.Bits ? plan : best;
        }

        return best;
    }

    /// <summary>Histogram bucket of r - base: 0..64 for offsets of b bits, 65 + t for offsets negative as int64 whose complement has t bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(long residual, long @base)
    {
        var u = unchecked((ulong)(residual - @base));
        var negative = (ulong)((long)u >> 63);
        return BitLength(u ^ negative) + (int)(negative & 65);
    }

    /// <summary>The width that minimises the size for one base, given the histogram of its offsets.</summary>
    private static Plan ChooseWidth(ReadOnlySpan<int> histogram, int m, int order, long @base)
    {
        // The non-empty buckets, so the width search below costs buckets × widths, not 65 × 65.
        Span<int> buckets = stackalloc int[Buckets];
        var positives = 0;
        var top = 0;
        for (var b = 0; b <= 64; b++)
        {
            if (histogram[b] != 0)
            {
                buckets[positives++] = b;
                top = b;
            }
        }

        var count = positives;
        for (var b = 65; b < Buckets; b++)
        {
            if (histogram[b] != 0)
            {
                buckets[count++] = b;
            }
        }

        // A patch costs a position gap (bounded by the value count) and the zigzag'd high bits, both varints.
        var gapBytes = VarInt.Length((ulong)m);
        var bestWidth = 64;
        var bestBits = 64L * m;
        var bestExceptions = 0;
        for (var width = 0; width <= top; width++)
        {
            var bits = (long)m * width;
            var exceptions = 0;
            for (var k = 0; k < positives; k++)
            {
                var b = buckets[k];
                if (b > width)
                {
                    bits += histogram[b] * 8L * (gapBytes + ((b - width + 7) / 7));
                    exceptions += histogram[b];
                }
            }

            for (var k = positives; k < count; k++)
            {
                var t = buckets[k] - 65;
                bits += histogram[buckets[k]] * 8L * (gapBytes + ((Math.Max(t - width, 0) + 7) / 7));
                exceptions += histogram[buckets[k]];
            }

            if (bits < bestBits)
            {
                bestBits = bits;
                bestWidth = width;
                bestExceptions = exceptions;
            }
        }

        bestBits = ((bestBits + 7) & ~7L) + ((VarInt.Length(VarInt.ZigZag(@base)) + 1 + VarInt.Length((ulong)bestExceptions)) * 8);
        return new Plan(order, @base, bestWidth, bestExceptions, bestBits);
    }

    /// <summary>Max-heap of the smallest residuals seen: the root is the largest of them.</summary>
    private static void HeapPush(Span<long> heap, ref int size, long value)
    {
        var i = size++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (heap[parent] >= value)
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = value;
    }

    private static void HeapReplaceTop(Span<long> heap, long value)
    {
        var i = 0;
        while (true)
        {
            var child = (2 * i) + 1;
            if (child >= heap.Length)
            {
                break;
            }

            if (child + 1 < heap.Length && heap[child + 1] > heap[child])
            {
                child++;
            }

            if (heap[child] <= value)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = value;
    }
}
