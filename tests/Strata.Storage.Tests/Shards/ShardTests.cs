using Strata.Core;
using Strata.Storage.Memtable;
using Strata.Storage.Shards;

namespace Strata.Storage.Tests.Shards;

/// <summary>Who holds a shard's memtables, and that each holder releases exactly once.</summary>
public class ShardTests
{
    [Fact]
    public void AShardDroppedDuringItsFlush_LeavesTheMemtableToTheFlushAlone()
    {
        var shard = new Shard(1, 1, "default", 0, 1_000, Path.Combine(Path.GetTempPath(), "strata-shard-test"));
        var points = new SeriesPoints("cpu", ["v"]);
        points.Times.Add(10);
        points.Seqs.Add(1);
        points.ClientSeq.Add(false);
        points.Values.Add(FieldValue.FromDouble(1));
        var appender = new MemtableAppender();
        appender.Append(shard.Active, 1, points, 0, 1);
        appender.Dispose();

        var frozen = shard.Freeze(5)!;
        shard.Close();
        shard.CompleteFlush(null);

        // The flush still reads what it froze, then gives back the last reference.
        var data = new ColumnData();
        frozen.CopyColumn(1, "v", long.MinValue, long.MaxValue, data).ShouldBeTrue();
        data.Count.ShouldBe(1);
        frozen.Release();
        frozen.TryAddReference().ShouldBeFalse();
    }
}
