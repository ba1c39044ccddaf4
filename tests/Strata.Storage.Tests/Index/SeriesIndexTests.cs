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
