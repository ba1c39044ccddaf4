namespace Strata.Storage.Tests.Engine;

public class DeleteRangeTests
{
    private const long Second = 1_000_000;
    private const long Base = 1_600_000_000L * Second;

    private static (long, double)[] Points(int count, long start = Base)
    {
        var points = new (long, double)[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = (start + (i * Second), i);
        }

        return points;
    }

    private static Task Delete(EngineFixture f, long from, long to) =>
        f.Engine.DeleteRangeAsync(f.Database(), ["cpu"], Base + (from * Second), Base + (to * Second));

    [Fact]
    public async Task DeleteRange_RemovesBoundsInclusiveFromMemtableAndSegments()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(10));
        f.Engine.Flush();
        await f.WriteAsync("cpu", Points(10, Base + (10 * Second)));
        await Delete(f, 5, 14);
        f.Read("cpu").Select(r => (r.Time - Base) / Second).ShouldBe([0L, 1, 2, 3, 4, 15, 16, 17, 18, 19]);
    }

    [Fact]
    public async Task DeleteRange_DoesNotHidePointsWrittenAfterIt()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(10));
        f.Engine.Flush();
        await Delete(f, 0, 9);
        await f.WriteAsync("cpu", (Base + (3 * Second), 42));
        f.Engine.Flush();
        f.Read("cpu").Single().Value.AsDouble.ShouldBe(42);
    }

    [Fact]
    public async Task DeleteRange_SurvivesACrashAndACleanRestart()
    {
        using var f = new EngineFixture();
        await f.WriteAsync("cpu", Points(10));
        f.Engine.Flush();
        await Delete(f, 2, 7);
        f.Reopen(crash: true);
        f.Read("cpu").Count.ShouldBe(4);
        f.Reopen();
        f.Read("cpu").Count.ShouldBe(4);
        f.Engine.GetIndex(f.Database().Id)!.TryGet("cpu", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task DeleteRange_IsAppliedByCompactionAndForgotten()
    {
        using var f = new EngineFixture(compactionTrigger: 2);
        await f.WriteAsync("cpu", Points(10));
        f.Engine.Flush();
        await Delete(f, 0, 4);
        await f.WriteAsync("cpu", Points(5, Base + (100 * Second)));
        f.Engine.Flush();
        f.SegmentFiles().Length.ShouldBe(1);
        f.Read("cpu").Count.ShouldBe(10);
        f.Reopen();
        f.Read("cpu").Count.ShouldBe(10);
        await f.WriteAsync("cpu", (Base + Second, 7));
        f.Read("cpu").Count.ShouldBe(11);
    }
}
