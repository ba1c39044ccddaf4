using Strata.Core;

namespace Strata.Storage.Tests.Engine;

/// <summary>
/// Back-pressure on memtables and flushes that run beside compaction and backups: writers wait for a flush that is
/// behind instead of growing memory without bound, a failed flush is finished by the next one, and a backup's copy
/// does not hold flushes off.
/// </summary>
public sealed class FlushSchedulingTests : IDisposable
{
    private const long Second = 1_000_000;
    private const long Base = 1_600_000_000L * Second;
    private const long Budget = 64 << 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "strata-engine-tests", "scratch-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Write_WaitsWhileTheMemtablesAreTwiceTheBudgetAndAFlushIsBehind()
    {
        using var f = new EngineFixture(memtableBytes: Budget);
        using var frozen = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        f.Engine.FlushFrozen = () =>
        {
            frozen.Set();
            release.Wait();
        };

        try
        {
            // Past the budget a background flush starts; it stops at the seam, before writing a segment.
            var written = 0;
            while (!frozen.Wait(0))
            {
                await f.WriteAsync("cpu", EngineFixture.PointsEverySecond(written, 100)).WaitAsync(Patience);
                written += 100;
                written.ShouldBeLessThan(100_000, "no flush started");
            }

            frozen.Wait(Patience).ShouldBeTrue();

            // The next memtable takes writes up to twice the budget; the write after that waits.
            var stallsBefore = f.Engine.Metrics.WriteStalls;
            Task pending;
            while (true)
            {
                pending = f.WriteAsync("cpu", EngineFixture.PointsEverySecond(written, 100));
                written += 100;
                if (f.Engine.Metrics.WriteStalls > stallsBefore)
                {
                    break;
                }

                await pending.WaitAsync(Patience);
                written.ShouldBeLessThan(100_000, "writes never waited");
            }

            await Task.Delay(300);
            pending.IsCompleted.ShouldBeFalse("the write should wait for the flush");
            f.Engine.MemtableBytes().ShouldBeLessThan((2 * Budget) + (100 * 64));

            release.Set();
            await pending.WaitAsync(Patience);
            f.Engine.Metrics.WriteStalls.ShouldBe(stallsBefore + 1);
            f.Read("cpu").Count.ShouldBe(written);
        }
        finally
        {
            release.Set();
        }

        f.Engine.FlushFrozen = null;
        f.Reopen(crash: true);
        f.Read("cpu").Select(r => r.Value.AsDouble).ShouldBe(Enumerable.Range(0, f.Read("cpu").Count).Select(i => (double)i));
    }

    [Fact]
    public async Task Flush_AfterAFailedFlushWritesItsMemtablesAndLosesNothing()
    {
        using var f = new EngineFixture(memtableBytes: Budget);
        await f.WriteAsync("cpu", EngineFixture.PointsEverySecond(0, 100));

        // A file where the first shard's directory belongs: every segment write of that shard fails.
        Directory.CreateDirectory(Path.Combine(f.Directory, "shards"));
        var blocker = Path.Combine(f.Directory, "shards", "000001");
        File.WriteAllBytes(blocker, []);
        Should.Throw<IOException>(() => f.Engine.Flush());

        // While flushes fail, writes go on (they do not wait for room that no flush will make) and are acknowledged.
        var written = 100;
        while (written < 20_000)
        {
            await f.WriteAsync("cpu", EngineFixture.PointsEverySecond(written, 100)).WaitAsync(Patience);
            written += 100;
        }

        File.Delete(blocker);
        f.Engine.Flush();
        f.Read("cpu").Count.ShouldBe(written);
        f.Engine.MemtableBytes().ShouldBeLessThan(Budget * 4);
        f.Reopen(crash: true);
        f.Read("cpu").Select(r => r.Value.AsDouble).ShouldBe(Enumerable.Range(0, written).Select(i => (double)i));
    }

    [Fact]
    public async Task Backup_FlushesGoOnWhileItCopiesAndTheSnapshotIsTheFlushPoint()
    {
        using var f = new EngineFixture(memtableBytes: Budget);
        await f.WriteAsync("cpu", EngineFixture.PointsEverySecond(0, 10));
        var backup = Path.Combine(_scratch, "backup");
        using var copying = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var running = Task.Run(() => f.Engine.Backup(backup, line =>
        {
            if (line.StartsWith("[1/", StringComparison.Ordinal))
            {
                copying.Set();
                proceed.Wait();
            }
        }));

        try
        {
            copying.Wait(Patience).ShouldBeTrue();
            var flushes = f.Engine.Metrics.Flushes;
            var written = 10;
            while (Interlocked.Read(ref f.Engine.Metrics.Flushes) == flushes)
            {
                await f.WriteAsync("cpu", EngineFixture.PointsEverySecond(written, 100)).WaitAsync(Patience);
                written += 100;
                written.ShouldBeLessThan(200_000, "no flush while the backup copies");
            }
        }
        finally
        {
            proceed.Set();
        }

        await running.WaitAsync(Patience);
        var restored = Path.Combine(_scratch, "restored");
        StorageEngine.Restore(backup, restored, _ => { });
        using var engine = StorageEngine.Open(new StorageOptions { DataDirectory = restored });
        var db = engine.Meta.FindDatabase("db")!;
        engine.GetIndex(db.Id)!.TryGet("cpu", out var entry).ShouldBeTrue();
        var count = 0;
        foreach (var view in engine.OpenShards(db.Id, long.MinValue, long.MaxValue))
        {
            using (view)
            {
                var data = new ColumnData();
                StorageEngine.ReadColumn(view, entry.Id, "v", long.MinValue, long.MaxValue, data);
                count += data.Count;
            }
        }

        count.ShouldBe(10);
    }

    /// <summary>
    /// Writes, range deletes and reads against a model while background flushes and compactions (trigger 2) run
    /// beside them and beside each other; then the same after a crash and after a clean restart.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ConcurrentFlushesAndCompactions_KeepExactlyWhatWasWritten(int seed)
    {
        using var f = new EngineFixture(memtableBytes: 16 << 10, compactionTrigger: 2);
        var random = new Random(seed);
        string[] names = ["a", "b", "c"];
        var model = names.ToDictionary(n => n, _ => new SortedDictionary<long, double>());
        var next = 0;
        for (var step = 0; step < 1500; step++)
        {
            var name = names[random.Next(names.Length)];
            if (random.Next(10) == 0)
            {
                var from = Base + (random.Next(Math.Max(next, 1)) * Second);
                var to = from + (random.Next(200) * Second);
                await f.Engine.DeleteRangeAsync(f.Database(), [name], from, to).WaitAsync(Patience);
                foreach (var time in model[name].Keys.Where(t => t >= from && t <= to).ToList())
                {
                    model[name].Remove(time);
                }

                continue;
            }

            var count = 1 + random.Next(60);
            var points = EngineFixture.PointsEverySecond(next, count);
            next += count;
            await f.WriteAsync(name, points).WaitAsync(Patience);
            foreach (var (time, value) in points)
            {
                model[name][time] = value;
            }

            if (step % 300 == 0)
            {
                Check();
            }
        }

        f.Engine.Metrics.Flushes.ShouldBeGreaterThan(10);
        f.Engine.Metrics.Compactions.ShouldBeGreaterThan(3);
        Check();
        f.Reopen(crash: true);
        Check();
        f.Reopen();
        Check();

        void Check()
        {
            foreach (var name in names)
            {
                var actual = f.Read(name);
                actual.Select(r => (r.Time, r.Value.AsDouble)).ShouldBe(model[name].Select(p => (p.Key, p.Value)), name);
            }
        }
    }
}
