using System.Runtime.InteropServices;

namespace Strata.Storage.Memtable;

/// <summary>
/// Native memory for the full-size chunks of one memtable's column buffers (<see cref="ColumnBuffer"/>): regions
/// taken from the OS, cut into fixed-size slots, all given back when the memtable is released.
/// </summary>
/// <remarks>
/// A memtable fills with hundreds of megabytes that nobody touched before. Taken from the garbage-collected heap
/// that memory is cleared by the collector and then faulted in 4 KiB at a time, and in this VM each fault costs
/// ~10 µs: replaying 10 M points spent ~0.6 s of its critical thread in faults and clearing (perf). Regions of
/// 2 MiB and more are asked for transparent huge pages, so the kernel maps them 2 MiB at a time, and are not
/// cleared (every slot is written before it is read). Not thread-safe: the owning memtable's lock covers it.
/// The finalizer frees whatever a missed release left, once nothing can reach the memtable any more.
/// <para>
/// Full-size regions of a released memtable go to a <see cref="RegionPool"/> (64 MiB at most) for the next big
/// memtable, already faulted in: under a steady write load every memtable after the second fills memory the kernel
/// does not have to clear again (page faults were ~5 % of the server's CPU while ingesting W).
/// </para>
/// </remarks>
internal sealed unsafe partial class ChunkArena : IDisposable
{
    /// <summary>Bytes in one slot: a chunk's times, sequence numbers and payloads (8 bytes each) and types (1 byte).</summary>
    public const int SlotBytes = ColumnBuffer.ChunkEntries * 25;

    private const nuint HugePage = 2 << 20;
    private const nuint FirstRegionBytes = 256 << 10;
    private const nuint MaxRegionBytes = 8 << 20;
    private const int MadviseHugePage = 14;

    private readonly List<(nint Start, nuint Bytes)> _regions = [];
    private readonly RegionPool _pool;

    /// <summary>The next full-size region, being faulted in by <see cref="_prefault"/> while the current one fills.</summary>
    private nint _spare;
    private Task? _prefault;
    private nint[] _free = [];
    private int _freeCount;
    private nint _next;
    private nint _end;
    private bool _disposed;

    /// <param name="pool">Where full-size regions come from and go back to; the process-wide one by default.</param>
    public ChunkArena(RegionPool? pool = null)
    {
        _pool = pool ?? RegionPool.Shared;
    }

    ~ChunkArena() => FreeRegions();

    /// <summary>Bytes taken from the OS.</summary>
    public long ReservedBytes { get; private set; }

    /// <summary>A slot of <see cref="SlotBytes"/> bytes, 64-byte aligned, contents undefined.</summary>
    public nint Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_freeCount > 0)
        {
            return _free[--_freeCount];
        }

        if (_end - _next < SlotBytes)
        {
            AddRegion();
        }

        var slot = _next;
        _next += SlotBytes;
        return slot;
    }

    /// <summary>Takes back a slot for the next <see cref="Rent"/> (a column rebuilt by a sort or a delete).</summary>
    public void Return(nint slot)
    {
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, Math.Max(16, _free.Length * 2));
        }

        _free[_freeCount++] = slot;
    }

    public void Dispose()
    {
        _disposed = true;
        FreeRegions();
        GC.SuppressFinalize(this);
    }

    private void AddRegion()
    {
        // Growing regions: a memtable of small series never needs the second one, and a big one soon gets huge pages.
        var bytes = _regions.Count == 0 ? FirstRegionBytes : Math.Min(MaxRegionBytes, _regions[^1].Bytes * 4);
        nint start;
        if (_spare != 0)
        {
            _prefault!.Wait();
            (start, _spare) = (_spare, 0);
        }
        else if (bytes != MaxRegionBytes || !_pool.TryTake(out start))
        {
            start = Allocate(bytes);
        }

        _regions.Add((start, bytes));
        ReservedBytes += (long)bytes;
        _next = start;
        _end = start + (nint)bytes;

        if (bytes == MaxRegionBytes && _pool.TryTake(out var pooled))
        {
            _spare = pooled;
            _prefault = Task.CompletedTask;
        }
        else if (bytes == MaxRegionBytes)
        {
            // A big memtable: the kernel clears the next region's pages on another core while this one fills, instead
            // of on the writer's (in this VM clearing fresh pages was ~20% of replaying a WAL, all on the applying thread).
            var spare = Allocate(MaxRegionBytes);
            _spare = spare;
            ReservedBytes += (long)MaxRegionBytes;
            _prefault = Task.Run(() => Touch(spare, MaxRegionBytes));
        }
    }

    private static nint Allocate(nuint bytes)
    {
        var start = (nint)NativeMemory.AlignedAlloc(bytes, bytes >= HugePage ? HugePage : 64);
        if (bytes >= HugePage && OperatingSystem.IsLinux())
        {
            // Advice only: without transparent huge pages the region is mapped 4 KiB at a time as before.
            _ = Madvise(start, bytes, MadviseHugePage);
        }

        return start;
    }

    /// <summary>Faults every page of a region in without changing a byte (a write of what is there, atomically).</summary>
    private static void Touch(nint start, nuint bytes)
    {
        for (nuint offset = 0; offset < bytes; offset += 4096)
        {
            Interlocked.CompareExchange(ref *(long*)(start + (nint)offset), 0, 0);
        }
    }

    private void FreeRegions()
    {
        _prefault?.Wait();
        _prefault = null;
        if (_spare != 0)
        {
            Free(_spare, MaxRegionBytes);
            _spare = 0;
        }

        foreach (var (start, bytes) in _regions)
        {
            Free(start, bytes);
        }

        _regions.Clear();
        _freeCount = 0;
        _next = _end = 0;
        ReservedBytes = 0;
    }

    private void Free(nint start, nuint bytes)
    {
        if (bytes != MaxRegionBytes || !_pool.TryGive(start))
        {
            NativeMemory.AlignedFree((void*)start);
        }
    }

    /// <summary>
    /// Full-size regions (8 MiB, faulted in) between memtables, at most <see cref="Capacity"/> of them; the rest go back
    /// to the OS. Thread-safe: arenas are released on flush threads and by the finalizer.
    /// </summary>
    public sealed class RegionPool(int capacity)
    {
        /// <summary>The process-wide pool: 8 regions, 64 MiB, the default memtable budget.</summary>
        public static RegionPool Shared { get; } = new(8);

        private readonly Stack<nint> _regions = new();

        public int Capacity { get; } = capacity;

        public int Count
        {
            get
            {
                lock (_regions)
                {
                    return _regions.Count;
                }
            }
        }

        public bool TryTake(out nint region)
        {
            lock (_regions)
            {
                return _regions.TryPop(out region);
            }
        }

        public bool TryGive(nint region)
        {
            lock (_regions)
            {
                if (_regions.Count >= Capacity)
                {
                    return false;
                }

                _regions.Push(region);
                return true;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
