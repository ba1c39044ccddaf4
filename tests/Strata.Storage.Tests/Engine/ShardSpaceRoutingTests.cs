using Strata.Core;

namespace Strata.Storage.Tests.Engine;

/// <summary>Routing writes to shard spaces while other requests create spaces (reference §8.4's auto-created default).</summary>
public class ShardSpaceRoutingTests
{
    private const long Base = 1_600_000_000L * 1_000_000;

    /// <summary>
    /// Regression: the first writes to a new database race to create the default space. A writer that found no space
    /// used to look again at the spaces, see the default another writer had just created, and answer 400 "No shard
    /// space matches … a space named default already exists"; its cached miss could also outlive the new space.
    /// </summary>
    [Fact]
    public async Task ConcurrentFirstWrites_AllLandInTheDefaultSpaceTheyRaceToCreate()
    {
        using var f = new EngineFixture();
        for (var round = 0; round < 40; round++)
        {
            var database = f.Engine.Meta.CreateDatabase("db" + round);
            using var go = new ManualResetEventSlim();
            var writers = new Task[4];
            for (var w = 0; w < writers.Length; w++)
            {
                var writer = w;
                writers[w] = Task.Run(async () =>
                {
                    go.Wait();
                    for (var s = 0; s < 8; s++)
                    {
                        await f.Engine.WriteAsync(database, Batch($"cpu.w{writer}.s{s}"), Clock.NowMicros());
                    }
                });
            }

            go.Set();
            await Task.WhenAll(writers);
            var spaces = f.Engine.Meta.ListShardSpaces(database.Name);
            spaces.Count.ShouldBe(1);
            spaces[0].Name.ShouldBe("default");
            f.Engine.GetIndex(database.Id)!.Count.ShouldBe(32);
        }
    }

    [Fact]
    public async Task ASpaceCreatedAfterWrites_TakesTheSeriesNextWrite()
    {
        using var f = new EngineFixture();
        var database = f.Database();
        await f.Engine.WriteAsync(database, Batch("cpu.a"), Clock.NowMicros());
        await f.Engine.WriteAsync(database, Batch("cpu.a"), Clock.NowMicros());
        f.Engine.Meta.AddShardSpace(new Strata.Storage.Shards.ShardSpace(database.Name, "hot", "/cpu/", "inf", "1d", 1, 1));

        await f.Engine.WriteAsync(database, Batch("cpu.a"), Clock.NowMicros());
        f.Engine.ListShards().Select(s => s.Shard.Space).Order().ShouldBe(["default", "hot"]);
    }

    [Fact]
    public async Task DatabasesWritingInTurn_EachRouteToTheirOwnMatchEverythingSpace()
    {
        using var f = new EngineFixture();
        var one = f.Database("one");
        var two = f.Database("two");
        f.Engine.Meta.AddShardSpace(new Strata.Storage.Shards.ShardSpace(one.Name, "all", "/.*/", "inf", "1d", 1, 1));
        f.Engine.Meta.AddShardSpace(new Strata.Storage.Shards.ShardSpace(two.Name, "everything", ".*", "inf", "1d", 1, 1));
        for (var round = 0; round < 3; round++)
        {
            await f.Engine.WriteAsync(one, Batch("cpu.a"), Clock.NowMicros());
            await f.Engine.WriteAsync(two, Batch("cpu.a"), Clock.NowMicros());
        }

        f.Engine.ListShards().Select(s => (s.Shard.DatabaseId, s.Shard.Space)).Order()
            .ShouldBe([(one.Id, "all"), (two.Id, "everything")]);
    }

    [Fact]
    public async Task ASpaceAddedBelowAMatchEverythingSpace_TakesNothing()
    {
        using var f = new EngineFixture();
        var database = f.Database();
        await f.Engine.WriteAsync(database, Batch("cpu.a"), Clock.NowMicros());
        f.Engine.Meta.AddShardSpace(new Strata.Storage.Shards.ShardSpace(database.Name, "cold", "/cpu/", "inf", "1d", 1, 1), lowestPriority: true);

        await f.Engine.WriteAsync(database, Batch("cpu.a"), Clock.NowMicros());
        f.Engine.ListShards().Select(s => s.Shard.Space).ShouldBe(["default"]);
    }

    private static WriteBatch Batch(string series)
    {
        var batch = new WriteBatch();
        var s = batch.AddSeries(series);
        s.Columns.Add("v");
        s.Times.Add(Base);
        s.Seqs.Add(SeriesPoints.NoSeq);
        s.ClientSeq.Add(false);
        s.Values.Add(FieldValue.FromDouble(1));
        return batch;
    }
}
