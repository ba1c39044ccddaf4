using CsCheck;
using Strata.Core;
using Strata.Storage.Memtable;

namespace Strata.Storage.Tests.Memtable;

/// <summary>
/// The chunked memtable column against a model (a sorted map of key → last value written): appends in and out of
/// key order, duplicate keys, every value type, range deletes and range reads, across chunk boundaries.
/// </summary>
public class ColumnBufferTests
{
    private enum Op : byte
    {
        Append,
        Remove,
    }

    private static readonly Gen<FieldValue> Value = Gen.Int[0, 4].SelectMany(kind => kind switch
    {
        0 => Gen.Const(FieldValue.Null),
        1 => Gen.Bool.Select(FieldValue.FromBool),
        2 => Gen.Long.Select(FieldValue.FromInt64),
        3 => Gen.Double.Select(FieldValue.FromDouble),
        _ => Gen.String[Gen.Char.AlphaNumeric, 0, 6].Select(FieldValue.FromString),
    });

    /// <summary>Times from a small range so that keys repeat; mostly ascending runs, as writes arrive.</summary>
    private static readonly Gen<(Op Op, long Time, long Seq, FieldValue Value)> Step =
        Gen.Frequency(
            (20, Gen.Select(Gen.Long[0, 3000], Gen.Long[0, 3], Value, (t, s, v) => (Op.Append, t, s, v))),
            (1, Gen.Select(Gen.Long[0, 3000], Gen.Long[0, 200], (t, w) => (Op.Remove, t, w, FieldValue.Null))));

    private static readonly Gen<(Op, long, long, FieldValue)[]> Steps = Step.Array[0, 4000];

    [Fact]
    public void ColumnBuffer_MatchesAModelOfLastWriteWins() => Steps.Sample(steps =>
    {
        using var arena = new ChunkArena();
        var buffer = new ColumnBuffer(arena);
        var model = new SortedDictionary<(long, long), FieldValue>();
        var ascending = 0L;
        foreach (var (op, time, seq, value) in steps)
        {
            if (op == Op.Remove)
            {
                buffer.RemoveRange(time, time + seq);
                foreach (var key in model.Keys.Where(k => k.Item1 >= time && k.Item1 <= time + seq).ToList())
                {
                    model.Remove(key);
                }

                continue;
            }

            // Half the appends continue an ascending run (the sorted fast path), half land anywhere.
            var t = seq % 2 == 0 ? ++ascending : time;
            buffer.Append(t, seq, value);
            model[(t, seq)] = value;
        }

        ShouldHoldExactly(buffer, model);

        // A range read returns exactly the model's entries in the range.
        var middle = new ColumnData();
        buffer.CopyRange(1000, 2000, middle);
        middle.Count.ShouldBe(model.Keys.Count(k => k.Item1 is >= 1000 and <= 2000));
    }, iter: 200);

    /// <summary>
    /// Runs of consecutive times arriving a few runs late, as batches of concurrent writers commit: entries near the
    /// end are placed on arrival, a run too far back leaves the column to be sorted on read; both agree with the model.
    /// </summary>
    [Fact]
    public void ColumnBuffer_PlacesRunsThatArriveLate() =>
        Gen.Select(Gen.Int[1, 300], Gen.Int[1, 8], Gen.Int[0, 40], Gen.Int[0, 5], Gen.Int[0, int.MaxValue])
            .Sample((runs, runLength, lateness, duplicatesInTen, seed) =>
            {
                var random = new Random(seed);
                var order = LateOrder(random, runs, lateness);
                using var arena = new ChunkArena();
                var buffer = new ColumnBuffer(arena);
                var model = new SortedDictionary<(long, long), FieldValue>();
                var written = new List<(long, long)>();
                foreach (var run in order)
                {
                    for (var k = 0; k < runLength; k++)
                    {
                        var key = random.Next(10) < duplicatesInTen && written.Count > 0
                            ? written[written.Count - 1 - random.Next(Math.Min(written.Count, 100))]
                            : ((long)run * runLength + k, 7L);
                        var value = random.Next(4) switch
                        {
                            0 => FieldValue.FromString("s" + random.Next(100)),
                            1 => FieldValue.FromInt64(random.Next()),
                            2 => FieldValue.FromBool(random.Next(2) == 0),
                            3 => FieldValue.FromDouble(random.NextDouble()),
                            _ => FieldValue.Null,
                        };
                        buffer.Append(key.Item1, key.Item2, value);
                        model[key] = value;
                        written.Add(key);
                    }
                }

                ShouldHoldExactly(buffer, model);
            }, iter: 300);

    /// <summary>
    /// Whole runs through <see cref="ColumnBuffer.AppendRun"/>, as writes apply them: runs arrive a few runs late, in
    /// either key order, repeat earlier keys, and hold nulls that are kept only when the client gave the sequence
    /// number. Some samples hold only numbers and booleans (runs stored whole, after the end or in a gap), some
    /// interleave their runs' keys (no gap fits). Placed near the end or left for a sort, the column agrees with the
    /// model.
    /// </summary>
    [Fact]
    public void ColumnBuffer_AppendRun_PlacesLateRunsAndSkipsUnaddressedNulls() =>
        Gen.Select(Gen.Int[1, 200], Gen.Int[1, 40], Gen.Int[0, 30], Gen.Int[0, 4], Gen.Int[0, 3], Gen.Int[0, int.MaxValue])
            .Sample((runs, runLength, lateness, duplicatesInTen, shape, seed) =>
            {
                var numericOnly = (shape & 1) != 0;
                var interleaved = (shape & 2) != 0;
                var random = new Random(seed);
                var order = LateOrder(random, runs, lateness);
                using var arena = new ChunkArena();
                var buffer = new ColumnBuffer(arena);
                var model = new SortedDictionary<(long, long), FieldValue>();
                var written = new List<(long, long)>();
                long strings = 0, stringChars = 0, expectedStrings = 0;
                foreach (var run in order)
                {
                    var keys = new List<(long, long)>();
                    for (var k = 0; k < runLength; k++)
                    {
                        keys.Add(random.Next(10) < duplicatesInTen && written.Count > 0
                            ? written[written.Count - 1 - random.Next(Math.Min(written.Count, 100))]
                            : interleaved ? (((long)k * runs) + run, 7L) : (((long)run * runLength) + k, 7L));
                    }

                    if (random.Next(5) == 0)
                    {
                        keys.Reverse();
                    }

                    // Two columns interleaved (stride 2); this buffer holds column 1.
                    var values = new FieldValue[runLength * 2];
                    var clientSeq = new bool[runLength];
                    var kept = 0;
                    for (var k = 0; k < runLength; k++)
                    {
                        values[(k * 2) + 1] = random.Next(numericOnly ? 1 : 0, numericOnly ? 4 : 6) switch
                        {
                            0 => FieldValue.FromString("s" + random.Next(100)),
                            1 => FieldValue.FromInt64(random.Next()),
                            2 => FieldValue.FromBool(random.Next(2) == 0),
                            3 => FieldValue.FromDouble(random.NextDouble()),
                            _ => FieldValue.Null,
                        };
                        clientSeq[k] = random.Next(3) == 0;
                        if (values[(k * 2) + 1].IsNull && !clientSeq[k])
                        {
                            continue;
                        }

                        model[keys[k]] = values[(k * 2) + 1];
                        written.Add(keys[k]);
                        expectedStrings += values[(k * 2) + 1].Type == FieldType.String ? 1 : 0;
                        kept++;
                    }

                    buffer.AppendRun([.. keys.Select(k => k.Item1)], [.. keys.Select(k => k.Item2)], values.AsSpan(1), 2, clientSeq, ref strings, ref stringChars)
                        .ShouldBe(kept);
                }

                strings.ShouldBe(expectedStrings);
                ShouldHoldExactly(buffer, model);
            }, iter: 300);

    [Fact]
    public void ColumnBuffer_KeepsAStringArrivingAfterManyChunksOfNumbers()
    {
        using var arena = new ChunkArena();
        var buffer = new ColumnBuffer(arena);
        for (var t = 0; t < 5000; t++)
        {
            buffer.Append(t, 1, t == 4321 ? FieldValue.FromString("late") : FieldValue.FromDouble(t));
        }

        var output = new ColumnData();
        buffer.CopyRange(0, long.MaxValue, output);
        output.Count.ShouldBe(5000);
        output.Values[4321].ShouldBe(FieldValue.FromString("late"));
        output.Values[4999].ShouldBe(FieldValue.FromDouble(4999));
    }

    /// <summary>
    /// A fold hands over exactly the entries a range read copies, as plain arrays, when they are all int64 or all
    /// float64, whatever the chunk boundaries and arrival order; otherwise it hands over nothing.
    /// </summary>
    [Fact]
    public void ColumnBuffer_TryFold_HandsOverExactlyTheRangeWhenItIsOfOneNumericType() =>
        Gen.Select(Gen.Int[0, 5000], Gen.Int[0, 3], Gen.Int[0, 40], Gen.Long[-10, 6000], Gen.Long[0, 6000], Gen.Int)
            .Sample((count, kind, oddOneInThousand, from, length, seed) =>
            {
                var random = new Random(seed);
                using var arena = new ChunkArena();
                var buffer = new ColumnBuffer(arena);
                for (var i = 0; i < count; i++)
                {
                    // Mostly ascending, some late arrivals and repeated keys.
                    var time = random.Next(10) == 0 ? random.Next(count) : i;
                    var odd = random.Next(1000) < oddOneInThousand;
                    var value = (kind, odd) switch
                    {
                        (0, false) or (1, true) => FieldValue.FromInt64(random.NextInt64(-1_000_000, 1_000_000)),
                        (1, false) or (0, true) => FieldValue.FromDouble(random.NextDouble() * 100),
                        (2, _) => odd ? FieldValue.Null : FieldValue.FromDouble(random.NextDouble()),
                        _ => odd ? FieldValue.FromString("x") : FieldValue.FromInt64(i),
                    };
                    buffer.Append(time, random.Next(3), value);
                }

                var (minTime, maxTime) = (from, from + length);
                var expected = new ColumnData();
                buffer.CopyRange(minTime, maxTime, expected);
                var folder = new RecordingFolder();
                var values = expected.Values.ToArray();
                var uniform = values.Length == 0 || (values.All(v => v.Type == values[0].Type)
                    && values[0].Type is FieldType.Int64 or FieldType.Double);
                buffer.TryFold(minTime, maxTime, folder).ShouldBe(uniform);
                buffer.TryGetTimeRange(minTime, maxTime, out var first, out var last).ShouldBe(expected.Count > 0);
                if (expected.Count > 0)
                {
                    (first, last).ShouldBe((expected.Times[0], expected.Times[expected.Count - 1]));
                }

                if (!uniform)
                {
                    folder.Times.ShouldBeEmpty();
                    return;
                }

                folder.Times.ShouldBe(expected.Times.ToArray());
                folder.Values.ShouldBe(values.Select(v => v.Type == FieldType.Int64 ? (double)v.AsInt64 : v.AsDouble));
                folder.Ints.ShouldBe(values.Length > 0 && values[0].Type == FieldType.Int64 ? values.Length : 0);
            }, iter: 300);

    private sealed class RecordingFolder : IBlockFolder
    {
        public List<long> Times { get; } = [];

        public List<double> Values { get; } = [];

        public int Ints { get; private set; }

        public bool FoldsDecoded => true;

        public bool FoldStatistics(in Strata.Storage.Segments.BlockMeta block) => throw new InvalidOperationException("a memtable has no block statistics");

        public void FoldDecoded(ReadOnlySpan<long> times, ReadOnlySpan<long> ints, ReadOnlySpan<double> doubles)
        {
            (ints.IsEmpty ^ doubles.IsEmpty).ShouldBeTrue("exactly one of the value spans");
            times.Length.ShouldBe(ints.IsEmpty ? doubles.Length : ints.Length);
            Times.AddRange(times);
            foreach (var n in ints)
            {
                Values.Add(n);
            }

            Values.AddRange(doubles);
            Ints += ints.Length;
        }
    }

    /// <summary>Runs 0 … runs-1 in the order concurrent writers commit them: each up to <paramref name="lateness"/> places late.</summary>
    private static int[] LateOrder(Random random, int runs, int lateness) =>
        Enumerable.Range(0, runs).OrderBy(run => run + random.Next(lateness + 1)).ToArray();

    /// <summary>The buffer read whole holds exactly the model's entries, in key order.</summary>
    private static void ShouldHoldExactly(ColumnBuffer buffer, SortedDictionary<(long, long), FieldValue> model)
    {
        var output = new ColumnData();
        buffer.CopyRange(long.MinValue, long.MaxValue, output);
        output.Count.ShouldBe(model.Count);
        var i = 0;
        foreach (var ((time, seq), value) in model)
        {
            (output.Times[i], output.Seqs[i], output.Values[i]).ShouldBe((time, seq, value));
            i++;
        }
    }
}
