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

        // ~51 MB: the small first regions, several full-size ones and their prefaulted spares.
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
    public void FullSizeRegions_GoToThePoolOnRelease_AndServeTheNextArena()
    {
        var pool = new ChunkArena.RegionPool(capacity: 2);
        var first = new ChunkArena(pool);
        var firstSlots = RentAndFill(first, 1000);
        pool.Count.ShouldBe(0);
        first.Dispose();
        pool.Count.ShouldBe(2);

        // The next arena takes both pooled regions (one to fill, one as its spare) before asking the OS for more.
        using var second = new ChunkArena(pool);
        var secondSlots = RentAndFill(second, 1000);
        pool.Count.ShouldBe(0);
        secondSlots.Intersect(firstSlots).ShouldNotBeEmpty();
        for (var i = 0; i < secondSlots.Length; i++)
        {
            Slot(secondSlots[i])[^1].ShouldBe((byte)i);
        }

        secondSlots.Distinct().Count().ShouldBe(secondSlots.Length);
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
