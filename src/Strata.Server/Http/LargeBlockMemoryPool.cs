using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Strata.Server.Http;

/// <summary>
/// The memory Kestrel's socket transport reads into and writes from: pinned blocks of <see cref="BlockSize"/> bytes
/// instead of its own 4 KiB ones, so that a socket read can take up to 64 KiB at once.
/// </summary>
/// <remarks>
/// Kestrel reads a connection into whatever block its pool hands out, one receive call per block. A W request is a
/// 150 KB body: 37 receive calls, each followed by a flush of the connection's pipe and a wake-up of the request's
/// body reader, with 4 KiB blocks; 3 with 64 KiB ones. The pool keeps at most <see cref="MaxRetained"/> free blocks
/// (8 MiB); more go to the garbage collector. Connections wait for data before they take a block
/// (<c>WaitForDataBeforeAllocatingBuffer</c>, Kestrel's default), so an idle connection holds none.
/// </remarks>
public sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    /// <summary>Free blocks kept for reuse at most.</summary>
    public const int MaxRetained = 128;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Free blocks held now.</summary>
    public int FreeCount => Volatile.Read(ref _freeCount);

    /// <summary>A block of <see cref="BlockSize"/> bytes (whatever size up to it is asked for); dispose it to give it back.</summary>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Rented = true;
            return block;
        }

        return new Block(this);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
        Volatile.Write(ref _freeCount, 0);
    }

    private void Return(Block block)
    {
        if (_disposed || Interlocked.Increment(ref _freeCount) > MaxRetained)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _freeCount);
            }

            return;
        }

        _free.Enqueue(block);
    }

    /// <summary>One pinned array, handed out as its own owner.</summary>
    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public bool Rented { get; set; } = true;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }

    /// <summary>What Kestrel asks for its pools (registered in place of its own factory).</summary>
    public sealed class Factory : IMemoryPoolFactory<byte>
    {
        private int _created;

        /// <summary>Pools made so far (Kestrel makes one per listener and per part that buffers).</summary>
        public int Created => Volatile.Read(ref _created);

        public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
        {
            Interlocked.Increment(ref _created);
            return new LargeBlockMemoryPool();
        }
    }
}
