using CsCheck;
using Strata.Storage.Index;

namespace Strata.Storage.Tests.Index;

/// <summary>The sorted view of the series index stays exact as series come and go, though it is reused between changes.</summary>
public class SeriesIndexTests
{
    [Fact]
    public void GetOrAddAll_ResolvesAWholeWriteInOrderAndRecordsNewColumns()
    {
        var index = new SeriesIndex();
        var existing = index.GetOrAdd("cpu.a");
        index.AddColumn(existing, "v");
        List<Strata.Core.SeriesPoints> series = [new("cpu.b", ["v"]), new("cpu.a", ["v", "w"]), new("cpu.c", [])];
        var entries = new SeriesEntry[3];

        index.GetOrAddAll(series, entries);

        entries[1].ShouldBeSameAs(existing);
        entries.Select(e => e.Name).ShouldBe(["cpu.b", "cpu.a", "cpu.c"]);
        entries.Select(e => e.Id).ShouldBe([2u, 1u, 3u]);
        existing.Columns.ShouldBe(["v", "w"]);
        entries[0].Columns.ShouldBe(["v"]);
        Names(index).ShouldBe(["cpu.a", "cpu.b", "cpu.c"]);
    }

    [Fact]
    public void GetOrAddAll_InRepeatedAndChangingOrders_AlwaysGivesTheCurrentEntryOfEachName()
    {
        // Writes of names in orders that repeat, shift and shrink, with removals and restores between them: the
        // entry for a name is the one the index holds for it now, never one remembered from an earlier write.
        var step = Gen.OneOf(
            Gen.Int[0, 5].Array[0, 8].Select(names => (Kind: 0, Names: names)),
            Gen.Int[0, 5].Select(name => (Kind: 1, Names: new[] { name })),
            Gen.Int[0, 5].Select(name => (Kind: 2, Names: new[] { name })));
        step.Array[1, 30].Sample(steps =>
        {
            var index = new SeriesIndex();
            var nextRestoredId = 1_000u;
            foreach (var (kind, names) in steps)
            {
                switch (kind)
                {
                    case 0:
                        List<Strata.Core.SeriesPoints> series = [.. names.Select(n => new Strata.Core.SeriesPoints("s" + n, ["v"]))];
                        var entries = new SeriesEntry[series.Count];
                        index.GetOrAddAll(series, entries);
                        for (var i = 0; i < series.Count; i++)
                        {
                            entries[i].Name.ShouldBe(series[i].Name);
                            index.TryGet(series[i].Name, out var current).ShouldBeTrue();
                            entries[i].ShouldBeSameAs(current);
                        }

                        break;
                    case 1:
                        index.Remove("s" + names[0], out _);
                        break;
                    default:
                        index.Restore(nextRestoredId++, "s" + names[0], ["v"]);
                        break;
                }
            }
        });
    }

    [Fact]
    public void SortedEntries_FollowAdditionsRemovalsAndRestores()
    {
        var index = new SeriesIndex();
        index.GetOrAdd("cpu.b");
        index.GetOrAdd("cpu.a");
        index.GetOrAdd("Cpu.z");
        Names(index).ShouldBe(["Cpu.z", "cpu.a", "cpu.b"]);
        index.SortedEntries().ShouldBeSameAs(index.SortedEntries());

        index.GetOrAdd("cpu.a"); // already there: the sorted view is kept
        var kept = index.SortedEntries();
        index.GetOrAdd("cpu.a");
        index.SortedEntries().ShouldBeSameAs(kept);

        index.GetOrAdd("cpu.0");
        Names(index).ShouldBe(["Cpu.z", "cpu.0", "cpu.a", "cpu.b"]);
        index.Remove("cpu.a", out _).ShouldBeTrue();
        Names(index).ShouldBe(["Cpu.z", "cpu.0", "cpu.b"]);
        index.Restore(99, "aaa", ["v"]);
        Names(index).ShouldBe(["Cpu.z", "aaa", "cpu.0", "cpu.b"]);
        index.SortedNames().ShouldBe(["Cpu.z", "aaa", "cpu.0", "cpu.b"]);
    }

    [Fact]
    public void SortedEntries_MadeWhileWritersAdd_NeverMissAnEntryAddedBeforeTheCall()
    {
        var index = new SeriesIndex();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                index.GetOrAdd("s" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
            }
        }, TestContext.Current.CancellationToken);

        while (!writer.IsCompleted)
        {
            var before = index.Count;
            index.SortedEntries().Count.ShouldBeGreaterThanOrEqualTo(before);
        }

        index.SortedEntries().Count.ShouldBe(20_000);
    }

    private static List<string> Names(SeriesIndex index) => [.. index.SortedEntries().Select(e => e.Name)];
}
