using System.Runtime.InteropServices;
using Strata.Storage.Memtable;

namespace Strata.Storage.Tests.Memtable;

/// <summary>The native slots behind memtable chunks: distinct, writable across regions, reused once returned.</summary>
public class ChunkArenaTests
{
    [Fact]
    public void Slots_AreDistinctAndKeepWhatIsWrittenAcrossManyRegions()
    {
        using var arena = new ChunkArena();

        // ~51 MB: the small first regions and several full-size ones.
        var slots = new nint[2000];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = arena.Rent();
            var span = Slot(slots[i]);
            span.Fill((byte)i);
            span[0] = (byte)(i >> 8);
        }

        for (var i = 0; i < slots.Length; i++)
        {
            var span = Slot(slots[i]);
            span[0].ShouldBe((byte)(i >> 8));
            span[1].ShouldBe((byte)i);
            span[^1].ShouldBe((byte)i);
            (slots[i] % 64).ShouldBe(0);
        }

        slots.Distinct().Count().ShouldBe(slots.Length);
        arena.ReservedBytes.ShouldBeGreaterThanOrEqualTo(slots.Length * (long)ChunkArena.SlotBytes);
    }

    [Fact]
    public void ReturnedSlot_IsRentedAgainBeforeNewMemory()
    {
        using var arena = new ChunkArena();
        var first = arena.Rent();
        var second = arena.Rent();
        arena.Return(first);
        arena.Rent().ShouldBe(first);
        arena.Rent().ShouldNotBe(second);
    }

    [Fact]
    public void Regions_GoToThePoolOnRelease_AndServeTheNextArena()
    {
        var pool = new ChunkArena.RegionPool(fullSizeCapacity: 2);
        var first = new ChunkArena(pool);
        var firstSlots = RentAndFill(first, 1000);
        pool.Count.ShouldBe(0);
        first.Dispose();

        // 1,000 slots took the three small regions and three full-size ones: the pool keeps two of those.
        pool.Count.ShouldBe(2);
        for (var sizeClass = 0; sizeClass < 3; sizeClass++)
        {
            pool.CountOf(sizeClass).ShouldBe(1);
        }

        // The next arena takes every pooled region before asking the OS for more.
        using var second = new ChunkArena(pool);
        var secondSlots = RentAndFill(second, 1000);
        for (var sizeClass = 0; sizeClass < 4; sizeClass++)
        {
            pool.CountOf(sizeClass).ShouldBe(0);
        }

        secondSlots.Intersect(firstSlots).ShouldNotBeEmpty();
        for (var i = 0; i < secondSlots.Length; i++)
        {
            Slot(secondSlots[i])[^1].ShouldBe((byte)i);
        }

        secondSlots.Distinct().Count().ShouldBe(secondSlots.Length);
    }

    [Fact]
    public async Task PoolWithAReserve_FillsItInTheBackground_OnceARegionIsAskedFor_AndTopsItUpAfterATake()
    {
        var pool = new ChunkArena.RegionPool(fullSizeCapacity: 3, fullSizeReserve: 2);
        pool.Count.ShouldBe(0);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        pool.Count.ShouldBe(0);

        using var arena = new ChunkArena(pool);
        arena.Rent();
        await WaitUntil(() => pool.Count == 2 && pool.CountOf(0) == 1 && pool.CountOf(1) == 1 && pool.CountOf(2) == 1);

        pool.TryTake(3, out var region).ShouldBeTrue();
        await WaitUntil(() => pool.Count == 2);
        pool.TryGive(3, region).ShouldBeTrue();
        pool.Count.ShouldBe(3);
        pool.TryGive(3, region).ShouldBeFalse();
    }

    [Fact]
    public void KeepFor_MakesRoomForAnActiveAndAFlushingMemtable_AndNeverShrinks()
    {
        var pool = new ChunkArena.RegionPool(fullSizeCapacity: 2);
        var regions = new List<nint>();
        try
        {
            // 64 MiB memtables: two of them, a quarter more for partly filled chunks, in 8 MiB regions = 20.
            pool.KeepFor(64L << 20);
            pool.KeepFor(1L << 20);
            for (var i = 0; i < 21; i++)
            {
                regions.Add(AllocNative());
            }

            for (var i = 0; i < 20; i++)
            {
                pool.TryGive(3, regions[i]).ShouldBeTrue();
            }

            pool.TryGive(3, regions[20]).ShouldBeFalse();
            pool.Count.ShouldBe(20);
        }
        finally
        {
            // Take back what the pool holds (it would free it itself only after its idle time).
            while (pool.TryTake(3, out _))
            {
            }

            foreach (var region in regions)
            {
                FreeNative(region);
            }
        }
    }

    [Fact]
    public async Task RegionsBeyondTheReserve_GoBackToTheOs_OnceNoneWasTakenForTheIdleTime()
    {
        var pool = new ChunkArena.RegionPool(fullSizeCapacity: 6, fullSizeReserve: 1, idleTrim: TimeSpan.FromSeconds(1));
        var arena = new ChunkArena(pool);
        RentAndFill(arena, 1000);
        await WaitUntil(() => pool.Count == 1);

        // 1,000 slots took three full-size regions besides the reserve's: all come back, then the extra ones go.
        arena.Dispose();
        pool.Count.ShouldBeGreaterThan(1);
        await WaitUntil(() => pool.Count == 1 && pool.CountOf(0) == 1 && pool.CountOf(1) == 1 && pool.CountOf(2) == 1);
    }

    private static unsafe nint AllocNative() => (nint)NativeMemory.AlignedAlloc(64, 64);

    private static unsafe void FreeNative(nint region) => NativeMemory.AlignedFree((void*)region);

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            waited.ShouldBeLessThan(20_000, "the reserve was not filled within 20 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Rents <paramref name="count"/> slots (past the small first regions into full-size ones), slot i filled with i.</summary>
    private static nint[] RentAndFill(ChunkArena arena, int count)
    {
        var slots = new nint[count];
        for (var i = 0; i < count; i++)
        {
            slots[i] = arena.Rent();
            Slot(slots[i]).Fill((byte)i);
        }

        return slots;
    }

    [Fact]
    public void Rent_AfterDispose_Throws()
    {
        var arena = new ChunkArena();
        arena.Rent();
        arena.Dispose();
        arena.ReservedBytes.ShouldBe(0);
        Should.Throw<ObjectDisposedException>(() => arena.Rent());
    }

    private static unsafe Span<byte> Slot(nint slot) => new((void*)slot, ChunkArena.SlotBytes);
}
