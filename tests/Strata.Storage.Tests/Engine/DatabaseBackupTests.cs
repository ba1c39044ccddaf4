using Strata.Core;
using Strata.Storage.IO;

namespace Strata.Storage.Tests.Engine;

public sealed class DatabaseBackupTests : IDisposable
{
    private const long Second = 1_000_000;
    private const long Base = 1_600_000_000L * Second;

    private readonly string _backup = Path.Combine(Path.GetTempPath(), "strata-engine-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_backup))
        {
            Directory.Delete(_backup, recursive: true);
        }
    }

    /// <summary>Reads series "cpu" column "v" of a database by name: seconds after Base.</summary>
    private static List<long> Seconds(EngineFixture f, string database)
    {
        var db = f.Engine.Meta.FindDatabase(database)!;
        var result = new List<long>();
        if (f.Engine.GetIndex(db.Id) is not { } index || !index.TryGet("cpu", out var entry))
        {
            return result;
        }

        foreach (var view in f.Engine.OpenShards(db.Id, long.MinValue, long.MaxValue))
        {
            using (view)
            {
                var data = new ColumnData();
                StorageEngine.ReadColumn(view, entry.Id, "v", long.MinValue, long.MaxValue, data);
                for (var i = 0; i < data.Count; i++)
                {
                    result.Add((data.Times[i] - Base) / Second);
                }
            }
        }

        return result;
    }

    [Fact]
    public async Task RestoreDatabase_RenumbersSegmentsSoTombstonesNeverMaskLaterWrites()
    {
        using var source = new EngineFixture(compactionTrigger: 100);
        for (var i = 0; i < 20; i += 2)
        {
            await source.WriteAsync("cpu", EngineFixture.PointsEverySecond(i, 2));
            source.Engine.Flush();
        }

        // Masks segments numbered up to the source's tenth: a fresh node's own numbering starts far below that.
        await source.Engine.DeleteRangeAsync(source.Database(), ["cpu"], Base + (5 * Second), Base + (14 * Second));
        source.Engine.BackupDatabase("db", _backup, _ => { });

        using var f = new EngineFixture();
        f.Engine.RestoreDatabase(_backup, "copy", _ => { });
        Seconds(f, "copy").ShouldBe(Seconds(source, "db"));
        Seconds(f, "copy").ShouldBe([0, 1, 2, 3, 4, 15, 16, 17, 18, 19]);

        // Written into the deleted range after the restore and flushed into a new segment: visible, also after a crash.
        var copy = f.Engine.Meta.FindDatabase("copy")!;
        var batch = new WriteBatch();
        var s = new SeriesPoints("cpu", ["v"]);
        s.Times.Add(Base + (7 * Second));
        s.Seqs.Add(SeriesPoints.NoSeq);
        s.ClientSeq.Add(false);
        s.Values.Add(FieldValue.FromDouble(7));
        batch.Series.Add(s);
        await f.Engine.WriteAsync(copy, batch, Clock.NowMicros());
        f.Engine.Flush();
        Seconds(f, "copy").ShouldBe([0, 1, 2, 3, 4, 7, 15, 16, 17, 18, 19]);
        f.Reopen(crash: true);
        Seconds(f, "copy").ShouldBe([0, 1, 2, 3, 4, 7, 15, 16, 17, 18, 19]);
    }

    [Fact]
    public async Task BackupDatabase_HoldsWhatWasWrittenUpToTheFlushAndRestoreSurvivesACrash()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", EngineFixture.PointsEverySecond(0, 5));
        f.Engine.Flush();
        await f.WriteAsync("cpu", EngineFixture.PointsEverySecond(5, 5)); // only in the memtable: the backup flushes it
        var lines = new List<string>();
        f.Engine.BackupDatabase("db", _backup, lines.Add);
        lines[^1].ShouldStartWith("backup complete: database db");

        f.Engine.DropDatabase("db");
        f.Engine.RestoreDatabase(_backup, null, _ => { });
        f.Reopen(crash: true);
        Seconds(f, "db").ShouldBe([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    [Fact]
    public void FileChecksum_IsTheCrc32COfTheBytesAndCopiesThem()
    {
        Directory.CreateDirectory(_backup);
        var data = new byte[(3 << 20) + 17];
        new Random(5).NextBytes(data);
        var source = Path.Combine(_backup, "a");
        File.WriteAllBytes(source, data);
        FileChecksum.Compute(source).ShouldBe((data.LongLength, Crc32CHash.Compute(data)));
        FileChecksum.Copy(source, Path.Combine(_backup, "b")).ShouldBe((data.LongLength, Crc32CHash.Compute(data)));
        File.ReadAllBytes(Path.Combine(_backup, "b")).ShouldBe(data);
    }
}
