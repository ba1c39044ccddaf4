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
