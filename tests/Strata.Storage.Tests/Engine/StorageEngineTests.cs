using Strata.Core;
using Strata.Storage.Segments;
using Strata.Storage.Tests.Segments;

namespace Strata.Storage.Tests.Engine;

public class StorageEngineTests
{
    private const long Second = 1_000_000;
    private const long Base = 1_600_000_000L * Second;

    private static (long, double)[] Points(int count, long start = Base, long step = 10 * Second)
    {
        var points = new (long, double)[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = (start + (i * step), i * 0.25);
        }

        return points;
    }

    [Fact]
    public async Task Write_IsReadBackFromTheMemtableWithSequenceNumbers()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", (Base, 1.5), (Base + Second, 2.5));
        var rows = f.Read("cpu");
        rows.Select(r => r.Time).ShouldBe([Base, Base + Second]);
        rows.Select(r => r.Seq).ShouldBe([10001L, 20001L]);
        rows.Select(r => r.Value.AsDouble).ShouldBe([1.5, 2.5]);
    }

    [Fact]
    public async Task Restart_ReplaysTheWal()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(500));
        f.Reopen(crash: true);
        f.Read("cpu").Count.ShouldBe(500);
        f.SegmentFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task RestartsWithoutWrites_LeaveNoEmptyWalFilesBehind()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(500));
        for (var i = 0; i < 5; i++)
        {
            f.Reopen(crash: true);
        }

        // The file holding the points, and the one the running engine writes to.
        f.WalFiles().Length.ShouldBe(2);
        f.Read("cpu").Count.ShouldBe(500);
        await f.WriteAsync("cpu", Points(10, Base + (10_000 * Second)));
        f.Reopen(crash: true);
        f.Read("cpu").Count.ShouldBe(510);
        f.WalFiles().Length.ShouldBe(3);
    }

    [Fact]
    public async Task Flush_WritesSegmentsDeletesCoveredWalAndSurvivesRestart()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(2500));
        await f.WriteAsync("mem", Points(10));
        f.Engine.Flush();
        f.SegmentFiles().Length.ShouldBe(1);
        f.WalFiles().Length.ShouldBe(1); // only the fresh, empty file remains
        f.Reopen();
        var rows = f.Read("cpu");
        rows.Count.ShouldBe(2500);
        rows[1234].Value.AsDouble.ShouldBe(1234 * 0.25);
        f.Read("mem").Count.ShouldBe(10);
    }

    [Fact]
    public async Task AnOpenView_StillReadsItsMemtablesAfterAFlushAndADropOfTheShard()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(3000));
        var db = f.Database();
        f.Engine.GetIndex(db.Id)!.TryGet("cpu", out var entry).ShouldBeTrue();
        var views = f.Engine.OpenShards(db.Id, long.MinValue, long.MaxValue);
        views.Count.ShouldBe(1);

        // The flush hands the memtable's data to a segment and the drop closes the shard: the view still holds both.
        f.Engine.Flush();
        f.Engine.DropShard(views[0].Shard.Id).ShouldBeTrue();
        var data = new ColumnData();
        StorageEngine.ReadColumn(views[0], entry.Id, "v", long.MinValue, long.MaxValue, data);
        data.Count.ShouldBe(3000);
        data.Values[2999].AsDouble.ShouldBe(2999 * 0.25);
        views[0].Active!.TryAddReference().ShouldBeTrue();
        views[0].Active!.Release();
        views[0].Dispose();

        // The view was the last holder of the shard's memtable: its memory is gone and a reader would be refused.
        views[0].Active!.TryAddReference().ShouldBeFalse();
        f.Read("cpu").ShouldBeEmpty();
    }

    [Fact]
    public async Task CleanClose_FlushesSoNoWalIsLeftToReplay()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(100));
        f.Reopen();
        f.SegmentFiles().Length.ShouldBe(1);
        f.WalFiles().ShouldAllBe(path => new FileInfo(path).Length == Strata.Storage.Wal.WalWriter.FileHeaderSize);
        f.Read("cpu").Count.ShouldBe(100);
    }

    [Fact]
    public async Task SequenceCounter_NeverRepeatsAcrossFlushAndRestart()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", (Base, 1));
        f.Engine.Flush();
        f.Reopen();
        await f.WriteAsync("cpu", (Base + Second, 2));
        f.Reopen(crash: true);
        await f.WriteAsync("cpu", (Base + (2 * Second), 3));
        f.Read("cpu").Select(r => r.Seq).ShouldBe([10001L, 20001L, 30001L]);
    }

    [Fact]
    public async Task Update_OverwritesAndNullDeletesAcrossSegmentsAndMemtable()
    {
        using var f = new EngineFixture();
        await f.WriteWithSeqAsync("s", "a", Base, 7, FieldValue.FromInt64(1));
        f.Engine.Flush();
        await f.WriteWithSeqAsync("s", "a", Base, 7, FieldValue.FromInt64(2));
        f.Read("s", "a").Single().Value.AsInt64.ShouldBe(2);
        f.Engine.Flush();
        await f.WriteWithSeqAsync("s", "a", Base, 7, FieldValue.Null);
        f.Read("s", "a").ShouldBeEmpty();
        f.Reopen();
        f.Read("s", "a").ShouldBeEmpty();
    }

    [Fact]
    public async Task Compaction_MergesSegmentsKeepingNewestValues()
    {
        using var f = new EngineFixture(compactionTrigger: 3);
        for (var i = 0; i < 3; i++)
        {
            await f.WriteWithSeqAsync("s", "a", Base, 1, FieldValue.FromInt64(i));
            await f.WriteAsync("cpu", Points(100, Base + (i * 1000 * Second)));
            f.Engine.Flush();
        }

        f.SegmentFiles().Length.ShouldBe(1);
        f.Engine.Metrics.Compactions.ShouldBe(1);
        f.Read("s", "a").Single().Value.AsInt64.ShouldBe(2);
        f.Read("cpu").Count.ShouldBe(300);
        f.Reopen();
        f.Read("cpu").Count.ShouldBe(300);
    }

    [Fact]
    public async Task DropSeries_HidesDataImmediatelyAndCompactionRemovesIt()
    {
        using var f = new EngineFixture(compactionTrigger: 2);
        await f.WriteAsync("gone", Points(50));
        f.Engine.Flush();
        await f.Engine.DropSeriesAsync(f.Database(), "gone");
        f.Read("gone").ShouldBeEmpty();
        await f.WriteAsync("gone", (Base + 5, 9));
        f.Read("gone").Count.ShouldBe(1);
        f.Reopen();
        f.Read("gone").Count.ShouldBe(1);
        f.Engine.Flush();
        f.Read("gone").Single().Value.AsDouble.ShouldBe(9);
        f.Reopen();
        f.Read("gone").Single().Value.AsDouble.ShouldBe(9);
    }

    [Fact]
    public async Task DropDatabase_RemovesShardsAndARecreatedDatabaseIsEmpty()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(20));
        f.Engine.Flush();
        await f.WriteAsync("cpu", Points(5, Base + (100 * Second)));
        f.Engine.DropDatabase("db");
        f.SegmentFiles().ShouldBeEmpty();
        f.Database();
        f.Read("cpu").ShouldBeEmpty();
        f.Reopen();
        f.Read("cpu").ShouldBeEmpty();
    }

    /// <summary>
    /// A request mixing points the server numbers and points with the client's sequence numbers, in a series of floats
    /// the WAL logs as they are and one it logs as decimals, comes back from the WAL after a crash exactly as it was
    /// read before.
    /// </summary>
    [Fact]
    public async Task Restart_ReplaysMixedSequenceNumbersAndFloatsExactly()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("before", (Base, 1.5));
        var batch = new WriteBatch();
        foreach (var name in new[] { "a", "b" })
        {
            var s = batch.AddSeries(name);
            s.Columns.Add("v");
            double[] values = name == "a" ? [52.31, -0.0, Math.PI, 0.1, double.NaN, 1e300] : [52.31, 0.5, -3.25, 1e-9, 0, 7];
            for (var p = 0; p < values.Length; p++)
            {
                s.Times.Add(Base + (p * Second));
                s.Seqs.Add(p % 3 == 1 ? 70_000 + p : SeriesPoints.NoSeq);
                s.ClientSeq.Add(p % 3 == 1);
                s.Values.Add(FieldValue.FromDouble(values[p]));
            }
        }

        await f.Engine.WriteAsync(f.Database(), batch, Clock.NowMicros());
        var a = f.Read("a");
        var b = f.Read("b");
        a.Count.ShouldBe(6);
        a.Select(r => r.Seq).ShouldContain(70_001);

        f.Reopen(crash: true);
        f.Read("a").ShouldBe(a);
        f.Read("b").ShouldBe(b);
        f.Read("before").Single().Value.AsDouble.ShouldBe(1.5);
    }

    [Fact]
    public async Task Restart_CutsATornWalTailAndKeepsEverythingBeforeIt()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(10));
        await f.WriteAsync("cpu", Points(10, Base + (1000 * Second)));
        f.Engine.CloseWithoutFlush();
        var wal = f.WalFiles().OrderBy(p => p).Last();
        var length = new FileInfo(wal).Length;
        using (var file = new FileStream(wal, FileMode.Open))
        {
            file.SetLength(length - 7); // a record half on disk, as after power loss mid-append
        }

        f.Reopen();
        f.Read("cpu").Count.ShouldBe(10);
        new FileInfo(wal).Length.ShouldBeLessThan(length - 7);
    }

    [Fact]
    public async Task Restart_StopsAtACorruptWalRecordChecksum()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(10));
        await f.WriteAsync("cpu", Points(10, Base + (1000 * Second)));
        f.Engine.CloseWithoutFlush();
        var wal = f.WalFiles().OrderBy(p => p).Last();
        var bytes = File.ReadAllBytes(wal);
        bytes[^3] ^= 0xFF;
        File.WriteAllBytes(wal, bytes);
        f.Reopen();
        f.Read("cpu").Count.ShouldBe(10);
    }

    [Fact]
    public async Task CorruptSegmentIndex_IsQuarantinedAndNeverServed()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(100));
        f.Engine.Flush();
        f.Engine.Dispose();
        var segment = f.SegmentFiles().Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[^(SegmentFormat.FooterSize + 3)] ^= 0x55; // inside the index
        File.WriteAllBytes(segment, bytes);
        f.Reopen();
        f.Read("cpu").ShouldBeEmpty();
        File.Exists(segment + ".corrupt").ShouldBeTrue();
        await f.WriteAsync("cpu", (Base, 1));
        f.Read("cpu").Count.ShouldBe(1);
    }

    /// <summary>Writes 100 points of cpu, flushes them into one segment and closes the engine; returns the segment's path.</summary>
    private static async Task<string> OneFlushedSegmentAsync(EngineFixture f)
    {
        await f.WriteAsync("cpu", Points(100));
        f.Engine.Flush();
        f.Engine.Dispose();
        return f.SegmentFiles().Single();
    }

    [Fact]
    public async Task SegmentOfANewerVersion_IsQuarantinedAndNeverServed()
    {
        using var f = new EngineFixture();
        var segment = await OneFlushedSegmentAsync(f);
        SegmentFiles.SetVersion(segment, SegmentFormat.Version + 1);
        f.Reopen();
        f.Read("cpu").ShouldBeEmpty();
        File.Exists(segment + ".corrupt").ShouldBeTrue();
    }

    [Fact]
    public async Task CorruptSegmentBlock_FailsTheReadInsteadOfReturningBadData()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(100));
        f.Engine.Flush();
        f.Engine.Dispose();
        var segment = f.SegmentFiles().Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[SegmentFormat.HeaderSize + SegmentFormat.BlockHeaderSize + 2] ^= 0x01; // inside the first block
        File.WriteAllBytes(segment, bytes);
        f.Reopen();
        var error = Should.Throw<SegmentCorruptException>(() => f.Read("cpu"));
        error.Message.ShouldContain("checksum mismatch");
    }

    [Fact]
    public async Task LeftoverSegmentFromAnInterruptedFlush_IsRemovedAndDataComesFromTheWal()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(30));
        f.Engine.Flush();
        await f.WriteAsync("cpu", Points(30, Base + (1000 * Second)));
        f.Engine.CloseWithoutFlush();
        var shardDirectory = Path.GetDirectoryName(f.SegmentFiles().Single())!;
        var stray = Path.Combine(shardDirectory, SegmentFormat.FileName(999));
        File.WriteAllBytes(stray, [1, 2, 3]);
        f.Reopen();
        File.Exists(stray).ShouldBeFalse();
        f.Read("cpu").Count.ShouldBe(60);
    }

    [Fact]
    public async Task ConcurrentWriters_ShareFsyncs()
    {
        using var f = new EngineFixture();
        var before = f.Engine.WalSyncCount;
        var tasks = new List<Task>();
        for (var i = 0; i < 200; i++)
        {
            tasks.Add(f.WriteAsync("s" + (i % 10), (Base + i, i)));
        }

        await Task.WhenAll(tasks);
        var syncs = f.Engine.WalSyncCount - before;
        syncs.ShouldBeGreaterThan(0);
        syncs.ShouldBeLessThan(200);
        var total = 0;
        for (var i = 0; i < 10; i++)
        {
            total += f.Read("s" + i).Count;
        }

        total.ShouldBe(200);
    }

    [Fact]
    public async Task BackgroundFlush_StartsWhenTheMemtableBudgetIsExceeded()
    {
        using var f = new EngineFixture(memtableBytes: 64 * 1024);
        for (var i = 0; i < 10; i++)
        {
            await f.WriteAsync("cpu", Points(1000, Base + (i * 100_000 * Second)));
        }

        for (var i = 0; i < 100 && f.Engine.Metrics.Flushes == 0; i++)
        {
            await Task.Delay(50);
        }

        f.Engine.Metrics.Flushes.ShouldBeGreaterThan(0);
        f.Read("cpu").Count.ShouldBe(10_000);
    }
}
