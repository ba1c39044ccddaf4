using Strata.Core;
using Strata.Storage.IO;
using Strata.Storage.Wal;

namespace Strata.Storage.Tests.Wal;

/// <summary>The WAL read and decoded on its own thread: order, content, torn tails, failures and early stops.</summary>
public sealed class WalReplayReaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "strata-replay-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Writes one WAL file: write records of series "s{i}" holding point i, with deletes or drops where asked.</summary>
    private void WriteFile(long number, int firstPoint, int points, Action<WalWriter>? after = null)
    {
        using var wal = new WalWriter(_directory, number);
        for (var i = firstPoint; i < firstPoint + points; i++)
        {
            var batch = new WriteBatch();
            var series = batch.AddSeries("s" + i);
            series.Columns.Add("v");
            series.Times.Add(i * 1_000_000L);
            series.Seqs.Add((i * 10_000L) + 1);
            series.ClientSeq.Add(false);
            series.Values.Add(FieldValue.FromInt64(i));
            wal.Append((Batch: batch, Counter: (long)i), static (state, w) => WalRecords.WriteWrite(7, state.Counter, state.Batch, w)).Wait();
        }

        after?.Invoke(wal);
    }

    private IReadOnlyList<(long, string)> Files() => WalReader.ListFiles(_directory);

    [Fact]
    public void Records_ComeOutInLogOrderAcrossFilesWithTheirContent()
    {
        WriteFile(1, 0, 300, wal => wal.Append("s5", static (s, w) => WalRecords.WriteDeleteRange(7, s, 10, 20, w)).Wait());
        WriteFile(2, 300, 300, wal => wal.Append("s301", static (s, w) => WalRecords.WriteDropSeries(7, s, w)).Wait());

        using var reader = new WalReplayReader(Files());
        var seen = new List<string>();
        foreach (var record in reader.Records())
        {
            seen.Add(record.Type switch
            {
                WalRecordType.Write => $"{record.Batch.Series[0].Name}@{record.Batch.Series[0].Times[0]}={record.Batch.Series[0].Values[0].AsInt64}#{record.SequenceCounter}",
                WalRecordType.DeleteRange => $"delete {record.Series} {record.StartMicros}..{record.EndMicros}",
                _ => $"drop {record.Series}",
            });
            record.DatabaseId.ShouldBe(7u);
            reader.Return(record);
        }

        seen.Count.ShouldBe(602);
        seen[0].ShouldBe("s0@0=0#0");
        seen[299].ShouldBe("s299@299000000=299#299");
        seen[300].ShouldBe("delete s5 10..20");
        seen[301].ShouldBe("s300@300000000=300#300");
        seen[601].ShouldBe("drop s301");
        reader.Results.Select(r => (r.FileNumber, r.Records, r.TailProblem)).ShouldBe([(1L, 301, (string?)null), (2L, 301, null)]);
    }

    /// <summary>A WAL left by a build that wrote row records (type 1) replays alongside columnar ones.</summary>
    [Fact]
    public void RowRecordsOfAnOlderBuild_DecodeAsWrites()
    {
        WriteFile(1, 0, 2, wal => wal.Append(0, static (_, w) =>
        {
            BinaryWrite.U8(w, (byte)WalRecordType.Write);
            BinaryWrite.VarU64(w, 7);
            BinaryWrite.VarU64(w, 99);
            BinaryWrite.VarU64(w, 1);
            BinaryWrite.String(w, "old");
            BinaryWrite.VarU64(w, 1);
            BinaryWrite.String(w, "v");
            BinaryWrite.VarU64(w, 1);
            BinaryWrite.U8(w, 0);
            BinaryWrite.VarI64(w, 5_000_000);
            BinaryWrite.VarI64(w, 990_001);
            BinaryWrite.U8(w, (byte)FieldType.Int64);
            BinaryWrite.VarI64(w, -3);
        }).Wait());

        using var reader = new WalReplayReader(Files());
        var seen = new List<string>();
        foreach (var record in reader.Records())
        {
            record.Type.ShouldBe(WalRecordType.Write);
            var s = record.Batch.Series[0];
            seen.Add($"{s.Name}@{s.Times[0]}/{s.Seqs[0]}={s.Values[0].AsInt64}#{record.SequenceCounter}");
            reader.Return(record);
        }

        seen.ShouldBe(["s0@0/1=0#0", "s1@1000000/10001=1#1", "old@5000000/990001=-3#99"]);
    }

    [Fact]
    public void Records_StopAtATornTailAndTheFileIsCut()
    {
        WriteFile(1, 0, 50);
        var path = Files()[0].Item2;
        var intact = new FileInfo(path).Length;
        File.AppendAllBytes(path, [0x40, 0, 0, 0, 1, 2, 3]);

        using var reader = new WalReplayReader(Files());
        var count = 0;
        foreach (var record in reader.Records())
        {
            count++;
            reader.Return(record);
        }

        count.ShouldBe(50);
        reader.Results[0].TailProblem.ShouldNotBeNull().ShouldContain("torn record");
        new FileInfo(path).Length.ShouldBe(intact);
    }

    [Fact]
    public void Records_AfterAnUnknownRecordType_ThrowOnceTheRecordsBeforeItAreOut()
    {
        WriteFile(1, 0, 20, wal => wal.Append(0, static (_, w) =>
        {
            w.GetSpan(1)[0] = 99;
            w.Advance(1);
        }).Wait());
        WriteFile(2, 20, 5);

        using var reader = new WalReplayReader(Files());
        var count = 0;
        var thrown = Should.Throw<InvalidDataException>(() =>
        {
            foreach (var record in reader.Records())
            {
                count++;
                reader.Return(record);
            }
        });

        thrown.Message.ShouldContain("unknown WAL record type 99");
        count.ShouldBe(20);
    }

    [Fact]
    public async Task Dispose_WhileTheReaderWaitsForRoom_Returns()
    {
        WriteFile(1, 0, 500);
        var reader = new WalReplayReader(Files());
        using (var records = reader.Records().GetEnumerator())
        {
            records.MoveNext().ShouldBeTrue();
        }

        // The reader is blocked with its queue full; disposing must stop it rather than wait for a consumer.
        await Task.Run(reader.Dispose).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
