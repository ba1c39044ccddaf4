using System.Buffers;
using CsCheck;
using Strata.Core;
using Strata.Storage.IO;
using Strata.Storage.Wal;

namespace Strata.Storage.Tests.Wal;

/// <summary>A write record decodes to exactly the batch that was encoded; a record that lies about its sizes is refused.</summary>
public class WalRecordsTests
{
    private static Gen<FieldValue> ValueOfKind(int kind) => kind switch
    {
        0 => Gen.Const(FieldValue.Null),
        1 => Gen.Bool.Select(FieldValue.FromBool),
        2 => Gen.Long.Select(FieldValue.FromInt64),
        3 => Gen.Double.Select(FieldValue.FromDouble),
        _ => Gen.String[Gen.Char, 0, 8].Select(FieldValue.FromString),
    };

    private static readonly Gen<FieldValue> AnyValue = Gen.Int[0, 4].SelectMany(ValueOfKind);

    /// <summary>Doubles that are k / 10^d for one scale d, as parsed from text with d decimals (-0.0 never is one).</summary>
    private static Gen<FieldValue> DecimalOfScale(int scale) =>
        Gen.Long[-1_000_000_000_000, 1_000_000_000_000].Select(k => FieldValue.FromDouble(k / Math.Pow(10, scale)));

    /// <summary>
    /// A column of one type (each has an encoding of its own), of mixed types (nulls included), of decimals of one
    /// scale, or of decimals with a -0.0 or a NaN among them.
    /// </summary>
    private static Gen<FieldValue[]> Column(int points) =>
        Gen.Int[0, 7].SelectMany(kind => kind switch
        {
            5 => AnyValue.Array[points],
            6 => Gen.Int[0, 9].SelectMany(scale => DecimalOfScale(scale).Array[points]),
            7 => Gen.Select(DecimalOfScale(2).Array[points], Gen.Bool).Select((values, nan) =>
            {
                if (values.Length > 0)
                {
                    values[values.Length / 2] = FieldValue.FromDouble(nan ? double.NaN : -0.0);
                }

                return values;
            }),
            _ => ValueOfKind(kind).Array[points],
        });

    /// <summary>Times and sequence numbers evenly spaced (a byte each) or anywhere in the range of a long.</summary>
    private static Gen<long[]> Keys(int points) =>
        Gen.Bool.SelectMany(even => even
            ? Gen.Select(Gen.Long, Gen.Long[-1_000_000, 1_000_000]).Select((start, step) => Enumerable.Range(0, points).Select(p => unchecked(start + (p * step))).ToArray())
            : Gen.Long.Array[points]);

    private static readonly Gen<SeriesPoints> Series =
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12], Gen.Int[0, 3], Gen.Int[0, 20]).SelectMany((name, columns, points) =>
            Gen.Select(Keys(points), Keys(points), Gen.Bool.Array[points], Column(points).Array[columns], (times, seqs, client, values) =>
            {
                var s = new SeriesPoints(name, [.. Enumerable.Range(0, columns).Select(c => "c" + c)]);
                s.Times.AddRange(times);
                s.Seqs.AddRange(seqs);
                s.ClientSeq.AddRange(client);
                for (var p = 0; p < points; p++)
                {
                    for (var c = 0; c < columns; c++)
                    {
                        s.Values.Add(values[c][p]);
                    }
                }

                return s;
            }));

    /// <summary>Every series of <paramref name="decoded"/> equals the one written (values bit for bit).</summary>
    private static void ShouldHoldExactly(WriteBatch decoded, SeriesPoints[] series)
    {
        decoded.Series.Count.ShouldBe(series.Length);
        for (var i = 0; i < series.Length; i++)
        {
            decoded.Series[i].Name.ShouldBe(series[i].Name);
            decoded.Series[i].Columns.ShouldBe(series[i].Columns);
            decoded.Series[i].Times.ShouldBe(series[i].Times);
            decoded.Series[i].Seqs.ShouldBe(series[i].Seqs);
            decoded.Series[i].ClientSeq.ShouldBe(series[i].ClientSeq);
            decoded.Series[i].Values.ShouldBe(series[i].Values);
        }
    }

    [Fact]
    public void WriteRecord_RoundTripsEveryPointAndValue() => Gen.Select(Series.Array[0, 6], Gen.UInt, Gen.Long[0, long.MaxValue]).Sample((series, db, counter) =>
    {
        var batch = new WriteBatch();
        batch.Series.AddRange(series);
        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(db, counter, batch, buffer);

        // Decoded into a reused batch that held a bigger write before, as replay does.
        var decoded = new WriteBatch();
        WalRecords.ReadWrite(buffer.WrittenSpan, decoded, new NameInterner()).ShouldBe((db, counter));
        WalRecords.ReadWrite(buffer.WrittenSpan, decoded, new NameInterner());
        ShouldHoldExactly(decoded, series);
    });

    /// <summary>
    /// The batch <paramref name="series"/> with the sequence numbers of the points the client gave none replaced by
    /// those the server assigns, counter − assigned + 1 … <paramref name="counter"/> in order: what the engine logs.
    /// </summary>
    private static WriteBatch AsAssigned(SeriesPoints[] series, long counter)
    {
        var batch = new WriteBatch();
        batch.Series.AddRange(series);
        var next = unchecked(counter - series.Sum(s => s.ClientSeq.Count(client => !client)));
        foreach (var s in series)
        {
            for (var p = 0; p < s.PointCount; p++)
            {
                if (!s.ClientSeq[p])
                {
                    s.Seqs[p] = WalRecords.AssignedSeq(next = unchecked(next + 1));
                }
            }
        }

        return batch;
    }

    /// <summary>
    /// A batch whose sequence numbers are the ones the server assigns is logged compactly, and decodes to exactly the
    /// batch (bit for bit, -0.0 and NaN included): every flag mix, decimal and other floats, every other encoding.
    /// </summary>
    [Fact]
    public void CompactWriteRecord_RoundTripsEveryPointAndValue() => Gen.Select(Series.Array[0, 6], Gen.UInt, Gen.Long[0, long.MaxValue]).Sample((series, db, counter) =>
    {
        var batch = AsAssigned(series, counter);
        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(db, counter, batch, buffer);
        WalRecords.PeekType(buffer.WrittenSpan).ShouldBe(WalRecordType.WriteCompact);

        var decoded = new WriteBatch();
        WalRecords.ReadWrite(buffer.WrittenSpan, decoded, new NameInterner()).ShouldBe((db, counter));
        ShouldHoldExactly(decoded, series);
    });

    /// <summary>One series of W's kind: evenly spaced times, server sequence numbers, a float with 2 decimals.</summary>
    private static WriteBatch EvenlySpaced(Func<int, double> value)
    {
        var s = new SeriesPoints("cpu", ["value"]);
        for (var p = 0; p < 1000; p++)
        {
            s.Times.Add(1_577_836_800_000_000 + (p * 10_000_000L));
            s.Seqs.Add(0);
            s.ClientSeq.Add(false);
            s.Values.Add(FieldValue.FromDouble(value(p)));
        }

        return AsAssigned([s], 5_000);
    }

    [Fact]
    public void CompactRecords_StoreServerSequenceNumbersInNoBytes_AndFewDecimalsAsSmallIntegers()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(1, 5_000, EvenlySpaced(p => p / 100.0), buffer);

        // A byte a time (the step never changes) and a byte a value (k grows by 1).
        WalRecords.PeekType(buffer.WrittenSpan).ShouldBe(WalRecordType.WriteCompact);
        buffer.WrittenCount.ShouldBeInRange(2 * 1000, (2 * 1000) + 64);

        // Floats that are no decimal of at most 9 places keep their 8 bytes.
        buffer.ResetWrittenCount();
        WalRecords.WriteWrite(1, 5_000, EvenlySpaced(p => Math.PI * p), buffer);
        buffer.WrittenCount.ShouldBeInRange(9 * 1000, (9 * 1000) + 64);
    }

    [Fact]
    public void SequenceNumbersTheServerDidNotAssign_AreLoggedInFull()
    {
        var batch = EvenlySpaced(p => p / 100.0);
        batch.Series[0].Seqs[500]++;
        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(1, 5_000, batch, buffer);

        WalRecords.PeekType(buffer.WrittenSpan).ShouldBe(WalRecordType.WriteColumns);
        var decoded = new WriteBatch();
        WalRecords.ReadWrite(buffer.WrittenSpan, decoded, new NameInterner());
        decoded.Series[0].Seqs.ShouldBe(batch.Series[0].Seqs);
    }

    /// <summary>
    /// The bytes of a WriteColumns record are fixed by the files already on disk: a batch touching every encoding
    /// (doubles, integers, booleans, tagged values with strings and nulls; no, all and some client sequence numbers;
    /// a non-ASCII name) encodes to exactly what build dd6e45e wrote.
    /// </summary>
    [Fact]
    public void WriteRecord_BytesMatchThoseOfEarlierBuilds()
    {
        var batch = new WriteBatch();
        var a = batch.AddSeries("cpu.hôst");
        a.Columns.AddRange(["d", "i", "b", "t"]);
        for (var p = 0; p < 10; p++)
        {
            a.Times.Add(1_577_836_800_000_000 + (p * 10_000_000L) + (p == 7 ? 3 : 0));
            a.Seqs.Add(((p + 1) * 10_000L) + 1);
            a.ClientSeq.Add(p % 3 == 0);
            a.Values.AddRange([FieldValue.FromDouble(p / 4.0), FieldValue.FromInt64((p * 37) - 100), FieldValue.FromBool(p % 2 == 0),
                p % 4 == 0 ? FieldValue.Null : p % 4 == 1 ? FieldValue.FromString("é" + p) : p % 4 == 2 ? FieldValue.FromInt64(-p) : FieldValue.FromDouble(p * 1.5)]);
        }

        var b = batch.AddSeries("mem");
        b.Columns.Add("value");
        b.Times.AddRange([5, 4, 1_000_000]);
        b.Seqs.AddRange([7, 8, 9]);
        b.ClientSeq.AddRange([true, true, true]);
        b.Values.AddRange([FieldValue.FromInt64(1), FieldValue.FromInt64(long.MinValue), FieldValue.FromInt64(long.MaxValue)]);
        batch.AddSeries("empty").Columns.Add("x");

        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(3, 123_456, batch, buffer);
        Convert.ToHexString(buffer.WrittenSpan).ShouldBe(EarlierWriteRecordHex);
    }

    private const string EarlierWriteRecordHex =
        "0403C0C40703096370752E68C3B473740401640169016201740A0249028080D29F98C2CD0580DAC4090000000000060B06A29C01A09C010000000000000000010000000000000000000000000000D03F000000000000E03F000000000000E83F000000000000F03F000000000000F43F000000000000F83F000000000000FC3F0000000000000040000000000000024002C7014A4A4A4A4A4A4A4A4A030100010001000100010000000403C3A9310203030000000000001240000403C3A935020B030000000000002540000403C3A939036D656D010576616C756503010A01FA887A0E02000202FEFFFFFFFFFFFFFFFF010105656D707479010178000000";

    /// <summary>
    /// The bytes of a WriteCompact record as docs/format/wal.md lays them out, fixed from the build that introduced it:
    /// server and client sequence numbers mixed, first times relative to the series before, decimal floats, floats
    /// that are not (-0.0), integers.
    /// </summary>
    [Fact]
    public void CompactWriteRecord_BytesAreAsDocumented()
    {
        var a = new SeriesPoints("cpu", ["d", "i"]);
        var b = new SeriesPoints("mem", ["z"]);
        for (var p = 0; p < 3; p++)
        {
            a.Times.Add(1_000_000 + (p * 10));
            a.Seqs.Add(p == 1 ? 77 : 0);
            a.ClientSeq.Add(p == 1);
            a.Values.AddRange([FieldValue.FromDouble((p + 1) * 0.25), FieldValue.FromInt64(p - 1)]);
            b.Times.Add(1_000_005 + p);
            b.Seqs.Add(0);
            b.ClientSeq.Add(false);
            b.Values.Add(FieldValue.FromDouble(p == 2 ? -0.0 : p));
        }

        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(3, 9, AsAssigned([a, b], 9), buffer);
        a.Seqs.ShouldBe([WalRecords.AssignedSeq(5), 77, WalRecords.AssignedSeq(6)]);
        Convert.ToHexString(buffer.WrittenSpan).ShouldBe(
            "05" + "03" + "09" + "05" + "02"                    // type 5, db 3, counter 9, 5 assigned (counters 5 … 9), 2 series
            + "03637075" + "02" + "0164" + "0169" + "03"      // "cpu", 2 columns "d" "i", 3 points
            + "02" + "02"                                     // flags: a bitmap, point 1 only
            + "80897A" + "14" + "00"                          // times: 1,000,000 from 0, +10, step unchanged
            + "9A01"                                          // the one client sequence number, 77
            + "04" + "02" + "32" + "32" + "32"                // d: decimals of scale 2, 25, +25, +25
            + "02" + "01" + "02" + "02"                       // i: integers -1, +1, +1
            + "036D656D" + "01" + "017A" + "03" + "00"        // "mem", 1 column "z", 3 points, no client sequence numbers
            + "0A" + "02" + "00"                              // times: +5 from cpu's first, +1, step unchanged
            + "01" + "0000000000000000" + "000000000000F03F" + "0000000000000080"); // z: doubles (-0.0 is no decimal)
    }

    [Fact]
    public void ACompactRecordWhoseAssignedCountDisagreesWithItsPoints_IsCorrupt()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(1, 5_000, EvenlySpaced(p => p / 100.0), buffer);
        var bytes = buffer.WrittenSpan.ToArray();

        // type, db, counter (2 bytes): the assigned count, 1,000, follows.
        bytes.AsSpan(4, 2).ToArray().ShouldBe(new byte[] { 0xE8, 0x07 });
        bytes[4] = 0xE7;
        Should.Throw<InvalidDataException>(() => WalRecords.ReadWrite(bytes, new WriteBatch(), new NameInterner()))
            .Message.ShouldContain("assigned sequence numbers");
    }

    [Fact]
    public void ADecimalColumnOfAScaleAbove9_IsCorrupt()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(1, 5_000, EvenlySpaced(p => p / 100.0), buffer);
        var bytes = buffer.WrittenSpan.ToArray();

        // A header of 1 + 1 + 2 + 2 + 1 + 4 + 1 + 6 + 2 + 1 bytes, the times (the first takes 8 bytes, the first step
        // 4, the 998 unchanged steps one each), no sequence numbers: then the column.
        var at = 21 + 8 + 4 + 998;
        (bytes[at], bytes[at + 1]).ShouldBe(((byte)4, (byte)2));
        bytes[at + 1] = 10;
        Should.Throw<InvalidDataException>(() => WalRecords.ReadWrite(bytes, new WriteBatch(), new NameInterner()))
            .Message.ShouldContain("decimal scale 10");
    }

    /// <summary>Files written before WriteColumns hold row records (type 1); replay still reads them, byte for byte as documented.</summary>
    [Fact]
    public void RowWriteRecords_OfOlderFiles_StillDecode()
    {
        var w = new ArrayBufferWriter<byte>();
        BinaryWrite.U8(w, (byte)WalRecordType.Write);
        BinaryWrite.VarU64(w, 3);
        BinaryWrite.VarU64(w, 42);
        BinaryWrite.VarU64(w, 1);
        BinaryWrite.String(w, "cpu");
        BinaryWrite.VarU64(w, 2);
        BinaryWrite.String(w, "v");
        BinaryWrite.String(w, "s");
        BinaryWrite.VarU64(w, 2);
        (long Time, long Seq, bool Client, double V, string S)[] rows = [(-5, 10_001, false, 1.5, "a"), (1_600_000_000_000_000, 7, true, -2, "")];
        foreach (var (time, seq, client, v, str) in rows)
        {
            BinaryWrite.U8(w, client ? (byte)1 : (byte)0);
            BinaryWrite.VarI64(w, time);
            BinaryWrite.VarI64(w, seq);
            BinaryWrite.U8(w, (byte)FieldType.Double);
            BinaryWrite.F64(w, v);
            BinaryWrite.U8(w, (byte)FieldType.String);
            BinaryWrite.String(w, str);
        }

        var decoded = new WriteBatch();
        WalRecords.ReadWrite(w.WrittenSpan, decoded, new NameInterner()).ShouldBe((3u, 42L));
        var s = decoded.Series.ShouldHaveSingleItem();
        s.Name.ShouldBe("cpu");
        s.Columns.ShouldBe(["v", "s"]);
        s.Times.ShouldBe([-5, 1_600_000_000_000_000]);
        s.Seqs.ShouldBe([10_001, 7]);
        s.ClientSeq.ShouldBe([false, true]);
        s.Values.ShouldBe([FieldValue.FromDouble(1.5), FieldValue.FromString("a"), FieldValue.FromDouble(-2), FieldValue.FromString("")]);
    }

    [Fact]
    public void APointCountTheRecordCannotHold_IsRefusedBeforeAnythingIsSized()
    {
        var batch = new WriteBatch();
        var s = new SeriesPoints("cpu", ["v"]);
        s.Times.Add(1);
        s.Seqs.Add(2);
        s.ClientSeq.Add(false);
        s.Values.Add(FieldValue.FromDouble(1));
        batch.Series.Add(s);
        var buffer = new ArrayBufferWriter<byte>();
        WalRecords.WriteWrite(1, 1, batch, buffer);
        var bytes = buffer.WrittenSpan.ToArray();

        // type, db, counter, series count, name (len + 3), column count, column (len + 1): the point count follows.
        var at = 1 + 1 + 1 + 1 + 4 + 1 + 2;
        bytes[at].ShouldBe((byte)1);
        bytes[at] = 0x7F;
        Should.Throw<InvalidDataException>(() => WalRecords.ReadWrite(bytes, new WriteBatch(), new NameInterner()));
        Should.Throw<InvalidDataException>(() => WalRecords.ReadWrite(bytes.AsSpan(0, bytes.Length - 3).ToArray(), new WriteBatch(), new NameInterner()));
    }
}
