using System.Buffers;

namespace Strata.Server.Http;

/// <summary>
/// A response composed in pooled 64 KiB chunks, then copied to the response body chunk by chunk. A large answer
/// (<c>select * from /.*/ limit 1</c> over 100,000 series is 11 MB) never grows one array by doubling, which
/// copied it several times over and put every larger copy on the large-object heap, each a full collection.
/// </summary>
public sealed class PooledChunkWriter : IBufferWriter<byte>, IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly List<(byte[] Buffer, int Length)> _full = [];
    private byte[] _current = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private int _written;

    /// <summary>Bytes written so far.</summary>
    public long Length
    {
        get
        {
            long length = _written;
            foreach (var (_, count) in _full)
            {
                length += count;
            }

            return length;
        }
    }

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _current.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsSpan(_written);
    }

    /// <summary>Writes everything, in order, to <paramref name="stream"/>.</summary>
    public async Task CopyToAsync(Stream stream, CancellationToken cancellation)
    {
        foreach (var (buffer, count) in _full)
        {
            await stream.WriteAsync(buffer.AsMemory(0, count), cancellation);
        }

        if (_written > 0)
        {
            await stream.WriteAsync(_current.AsMemory(0, _written), cancellation);
        }
    }

    private void Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_current.Length - _written >= sizeHint)
        {
            return;
        }

        if (_written == 0)
        {
            ArrayPool<byte>.Shared.Return(_current);
        }
        else
        {
            _full.Add((_current, _written));
        }

        _current = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, sizeHint));
        _written = 0;
    }

    public void Dispose()
    {
        foreach (var (buffer, _) in _full)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _full.Clear();
        if (_current.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = [];
        }

        _written = 0;
    }
}
