using System.Buffers;
using CsCheck;
using Strata.Core;
using Strata.Storage.Wal;

namespace Strata.Storage.Tests.Wal;

/// <summary>A write record decodes to exactly the batch that was encoded; a record that lies about its sizes is refused.</summary>
public class WalRecordsTests
{
    private static readonly Gen<FieldValue> Value = Gen.Int[0, 4].SelectMany(kind => kind switch
    {
        0 => Gen.Const(FieldValue.Null),
        1 => Gen.Bool.Select(FieldValue.FromBool),
        2 => Gen.Long.Select(FieldValue.FromInt64),
        3 => Gen.Double.Select(FieldValue.FromDouble),
        _ => Gen.String[Gen.Char, 0, 8].Select(FieldValue.FromString),
    });

    private static readonly Gen<SeriesPoints> Series =
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12], Gen.Int[0, 3], Gen.Int[0, 20]).SelectMany((name, columns, points) =>
            Gen.Select(Gen.Long.Array[points], Gen.Long.Array[points], Gen.Bool.Array[points], Value.Array[points * columns], (times, seqs, client, values) =>
            {
                var s = new SeriesPoints(name, [.. Enumerable.Range(0, columns).Select(c => "c" + c)]);
                s.Times.AddRange(times);
                s.Seqs.AddRange(seqs);
                s.ClientSeq.AddRange(client);
                s.Values.AddRange(values);
                return s;
            }));

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
    });

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
