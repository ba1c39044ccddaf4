using System.Runtime.InteropServices;

namespace Strata.Storage.Memtable;

/// <summary>
/// Native memory for the full-size chunks of one memtable's column buffers (<see cref="ColumnBuffer"/>): regions
/// taken from a <see cref="RegionPool"/> or the OS, cut into fixed-size slots, all given back when the memtable is
/// released.
/// </summary>
/// <remarks>
/// A memtable fills with hundreds of megabytes that nobody touched before. Taken from the garbage-collected heap
/// that memory is cleared by the collector and then faulted in 4 KiB at a time, and in this VM each fault costs
/// ~10 µs: replaying 10 M points spent ~0.6 s of its critical thread in faults and clearing (perf). Regions of
/// 2 MiB and more are asked for transparent huge pages, so the kernel maps them 2 MiB at a time, and are not
/// cleared (every slot is written before it is read). Not thread-safe: the owning memtable's lock covers it.
/// The finalizer frees whatever a missed release left, once nothing can reach the memtable any more.
/// <para>
/// Regions grow 256 KiB, 1 MiB, 4 MiB, then 8 MiB each, so a memtable of a few small series never holds more than
/// 256 KiB. Every region comes from the pool when it has one of that size, already faulted in: even huge pages cost
/// ~5 ms per MiB to fault in this VM, and W's 1,000 series all take their first full-size chunk in the same write
/// (25 MiB), which held the write lock for 50–130 ms, four times per memtable, until the pool kept a reserve.
/// </para>
/// </remarks>
internal sealed unsafe partial class ChunkArena : IDisposable
{
    /// <summary>Bytes in one slot: a chunk's times, sequence numbers and payloads (8 bytes each) and types (1 byte).</summary>
    public const int SlotBytes = ColumnBuffer.ChunkEntries * 25;

    /// <summary>Region sizes by size class: an arena's first region is class 0, its fourth and later ones class 3.</summary>
    private static readonly nuint[] RegionSizes = [256 << 10, 1 << 20, 4 << 20, 8 << 20];

    private const int FullSize = 3;
    private const nuint HugePage = 2 << 20;
    private const int MadviseHugePage = 14;

    private readonly List<(nint Start, int SizeClass)> _regions = [];
    private readonly RegionPool _pool;
    private nint[] _free = [];
    private int _freeCount;
    private nint _next;
    private nint _end;
    private bool _disposed;

    /// <param name="pool">Where regions come from and go back to; the process-wide one by default.</param>
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
        var sizeClass = Math.Min(_regions.Count, FullSize);
        var bytes = RegionSizes[sizeClass];
        if (!_pool.TryTake(sizeClass, out var start))
        {
            start = Allocate(bytes);
        }

        _regions.Add((start, sizeClass));
        ReservedBytes += (long)bytes;
        _next = start;
        _end = start + (nint)bytes;
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
        foreach (var (start, sizeClass) in _regions)
        {
            if (!_pool.TryGive(sizeClass, start))
            {
                NativeMemory.AlignedFree((void*)start);
            }
        }

        _regions.Clear();
        _freeCount = 0;
        _next = _end = 0;
        ReservedBytes = 0;
    }

    /// <summary>
    /// Faulted-in regions between memtables, by size class, up to a capacity per class; the rest go back to the OS.
    /// Once any region has been asked for, a background task keeps a reserve of each class ready (allocated and
    /// faulted in on its own thread), so that writers holding the write lock do not wait for the kernel to map fresh
    /// memory. Regions beyond the reserve go back to the OS once none has been taken for a while, so an idle server
    /// holds only the reserve. Thread-safe: arenas are released on flush threads and by the finalizer.
    /// </summary>
    /// <remarks>
    /// The capacity follows the memtable budget (<see cref="KeepFor"/>): under a steady write load the active memtable
    /// fills while the frozen one flushes, so up to twice the budget is in regions. A pool smaller than that frees the
    /// regions of each flushed memtable and faults fresh ones in for the next: with 64 MiB memtables W freed 15
    /// full-size regions and allocated 37 (~5 % of the server's CPU zeroing fresh pages); with room for both, 0 and 24.
    /// </remarks>
    public sealed class RegionPool
    {
        /// <summary>
        /// The process-wide pool: up to 8 full-size regions (64 MiB) and 2 of each small size until an engine asks for
        /// more (<see cref="KeepFor"/>); a reserve of 4 full-size regions and one of each small size (37.25 MiB) once
        /// writes begin.
        /// </summary>
        public static RegionPool Shared { get; } = new(fullSizeCapacity: 8, fullSizeReserve: 4);

        /// <summary>How long the pool keeps regions beyond its reserve after the last one was taken.</summary>
        public static readonly TimeSpan DefaultIdleTrim = TimeSpan.FromSeconds(30);

        private readonly Stack<nint>[] _regions = [new(), new(), new(), new()];
        private readonly int[] _capacity;
        private readonly int[] _reserve;
        private readonly Lock _lock = new();
        private readonly TimeSpan _idleTrim;
        private readonly Timer _trim;
        private long _lastTake;
        private bool _trimArmed;
        private bool _refilling;

        /// <param name="fullSizeCapacity">Full-size regions kept at most (small sizes: 2 each).</param>
        /// <param name="fullSizeReserve">Full-size regions kept ready (small sizes: 1 each when this is above 0); 0 keeps no reserve.</param>
        /// <param name="idleTrim">How long regions beyond the reserve are kept after the last take; <see cref="DefaultIdleTrim"/> by default.</param>
        public RegionPool(int fullSizeCapacity, int fullSizeReserve = 0, TimeSpan? idleTrim = null)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(fullSizeReserve, fullSizeCapacity);
            _capacity = [2, 2, 2, fullSizeCapacity];
            _reserve = fullSizeReserve > 0 ? [1, 1, 1, fullSizeReserve] : [0, 0, 0, 0];
            _idleTrim = idleTrim ?? DefaultIdleTrim;
            _trim = new Timer(static pool => ((RegionPool)pool!).TrimIfIdle(), this, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>
        /// Makes room for the regions of an active and a flushing memtable of <paramref name="memtableBytes"/> each
        /// (never lowers the capacity: engines with different budgets may share the pool).
        /// </summary>
        public void KeepFor(long memtableBytes)
        {
            // Entries take 25 bytes in slots as in the budget; a quarter more for partly filled chunks and small regions.
            var regions = (int)Math.Min(1024, (memtableBytes * 2 * 5 / 4 + (long)RegionSizes[FullSize] - 1) / (long)RegionSizes[FullSize]);
            lock (_lock)
            {
                _capacity[FullSize] = Math.Max(_capacity[FullSize], regions);
            }
        }

        /// <summary>Full-size regions held.</summary>
        public int Count => CountOf(FullSize);

        /// <summary>Regions of one size class held (0 = 256 KiB … 3 = 8 MiB).</summary>
        public int CountOf(int sizeClass)
        {
            lock (_lock)
            {
                return _regions[sizeClass].Count;
            }
        }

        /// <summary>A faulted-in region of the class if one is held; then tops the reserve up in the background.</summary>
        public bool TryTake(int sizeClass, out nint region)
        {
            bool taken;
            lock (_lock)
            {
                _lastTake = Environment.TickCount64;
                taken = _regions[sizeClass].TryPop(out region);
                if (!_refilling && ShortClass() >= 0)
                {
                    _refilling = true;
                    // Its own thread, like a flush: faulting 37 MiB in takes ~0.2 s in this VM.
                    _ = Task.Factory.StartNew(static pool => ((RegionPool)pool!).Refill(), this, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                }
            }

            return taken;
        }

        /// <summary>Keeps a released region for the next arena; false when the class is at capacity (the caller frees it).</summary>
        public bool TryGive(int sizeClass, nint region)
        {
            lock (_lock)
            {
                if (_regions[sizeClass].Count >= _capacity[sizeClass])
                {
                    return false;
                }

                _regions[sizeClass].Push(region);
                if (!_trimArmed && _regions[sizeClass].Count > _reserve[sizeClass])
                {
                    _trimArmed = true;
                    _trim.Change(_idleTrim, Timeout.InfiniteTimeSpan);
                }

                return true;
            }
        }

        /// <summary>Frees the regions beyond the reserve once none was taken for <see cref="_idleTrim"/>; else waits on.</summary>
        private void TrimIfIdle()
        {
            List<nint>? freed = null;
            lock (_lock)
            {
                var idle = TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastTake);
                if (idle < _idleTrim)
                {
                    _trim.Change(_idleTrim - idle, Timeout.InfiniteTimeSpan);
                    return;
                }

                _trimArmed = false;
                for (var c = 0; c < _regions.Length; c++)
                {
                    while (_regions[c].Count > _reserve[c])
                    {
                        (freed ??= []).Add(_regions[c].Pop());
                    }
                }
            }

            foreach (var region in freed ?? [])
            {
                NativeMemory.AlignedFree((void*)region);
            }
        }

        /// <summary>The smallest size class below its reserve, or -1. Caller holds the lock.</summary>
        private int ShortClass()
        {
            for (var c = 0; c < _regions.Length; c++)
            {
                if (_regions[c].Count < _reserve[c])
                {
                    return c;
                }
            }

            return -1;
        }

        private void Refill()
        {
            while (true)
            {
                int sizeClass;
                lock (_lock)
                {
                    sizeClass = ShortClass();
                    if (sizeClass < 0)
                    {
                        _refilling = false;
                        return;
                    }
                }

                nint region;
                try
                {
                    region = Allocate(RegionSizes[sizeClass]);
                }
                catch (OutOfMemoryException)
                {
                    // No reserve then: writers allocate their own regions and meet the shortage themselves.
                    lock (_lock)
                    {
                        _refilling = false;
                    }

                    return;
                }

                Touch(region, RegionSizes[sizeClass]);
                if (!TryGive(sizeClass, region))
                {
                    NativeMemory.AlignedFree((void*)region);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
