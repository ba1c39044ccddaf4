using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Strata.Load;

/// <summary>
/// A no-op HTTP/1.1 endpoint on 127.0.0.1: it reads each request (headers, then a
/// <c>Content-Length</c> or chunked body), throws it away and answers
/// <c>200 OK</c> with an empty body on the same keep-alive connection. Running the write workload
/// against it measures the generator's own ceiling.
/// </summary>
internal sealed class SinkServer : IAsyncDisposable
{
    private static readonly byte[] Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Task? _acceptLoop;

    /// <summary>The base URL clients should use.</summary>
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Requests answered so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    private long _requests;

    public void Start()
    {
        _listener.Start(backlog: 512);
        _acceptLoop = AcceptAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var parser = new RequestParser();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(parser.Pending, buffer.Length - parser.Pending), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                var complete = parser.Feed(ref buffer, parser.Pending + read);
                if (complete > 0)
                {
                    Interlocked.Add(ref _requests, complete);
                    await SendAsync(socket, complete);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        catch (InvalidDataException ex)
        {
            var error = Encoding.ASCII.GetBytes($"HTTP/1.1 400 Bad Request\r\nContent-Length: {ex.Message.Length}\r\nConnection: close\r\n\r\n{ex.Message}");
            await socket.SendAsync(error.AsMemory(), SocketFlags.None);
        }
    }

    private static async ValueTask SendAsync(Socket socket, int responses)
    {
        if (responses == 1)
        {
            await socket.SendAsync(Ok.AsMemory(), SocketFlags.None);
            return;
        }

        // Pipelined requests: one send for all their responses.
        var all = new byte[Ok.Length * responses];
        for (var i = 0; i < responses; i++)
        {
            Ok.CopyTo(all, i * Ok.Length);
        }

        await socket.SendAsync(all.AsMemory(), SocketFlags.None);
    }

    /// <summary>
    /// Incremental HTTP/1.1 request framing: finds header ends, skips <c>Content-Length</c> bodies and
    /// decodes chunked framing, keeping only the unparsed tail of the buffer.
    /// </summary>
    internal sealed class RequestParser
    {
        private enum State
        {
            Headers,
            Body,
            ChunkSize,
            ChunkData,
            ChunkDataEnd,
            Trailers,
        }

        private State _state = State.Headers;
        private long _remaining;

        /// <summary>Bytes kept at the front of the buffer waiting for more input.</summary>
        public int Pending { get; private set; }

        /// <summary>Consumes <paramref name="length"/> bytes of <paramref name="buffer"/>; returns the requests completed.</summary>
        public int Feed(ref byte[] buffer, int length)
        {
            var completed = 0;
            var pos = 0;
            while (pos < length)
            {
                var span = buffer.AsSpan(pos, length - pos);
                switch (_state)
                {
                    case State.Headers:
                    {
                        var end = span.IndexOf("\r\n\r\n"u8);
                        if (end < 0)
                        {
                            goto NeedMore;
                        }

                        ReadHeaders(span[..end]);
                        pos += end + 4;
                        if (_state == State.Headers)
                        {
                            completed++;
                        }

                        break;
                    }

                    case State.Body:
                    case State.ChunkData:
                    {
                        var take = (int)Math.Min(_remaining, span.Length);
                        pos += take;
                        _remaining -= take;
                        if (_remaining == 0)
                        {
                            if (_state == State.Body)
                            {
                                _state = State.Headers;
                                completed++;
                            }
                            else
                            {
                                _state = State.ChunkDataEnd;
                            }
                        }

                        break;
                    }

                    case State.ChunkDataEnd:
                    {
                        if (span.Length < 2)
                        {
                            goto NeedMore;
                        }

                        if (span[0] != '\r' || span[1] != '\n')
                        {
                            throw new InvalidDataException("chunk data not followed by CRLF");
                        }

                        pos += 2;
                        _state = State.ChunkSize;
                        break;
                    }

                    case State.ChunkSize:
                    {
                        var end = span.IndexOf("\r\n"u8);
                        if (end < 0)
                        {
                            goto NeedMore;
                        }

                        var line = span[..end];
                        var ext = line.IndexOf((byte)';');
                        if (ext >= 0)
                        {
                            line = line[..ext];
                        }

                        if (!long.TryParse(Encoding.ASCII.GetString(line).Trim(), System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0)
                        {
                            throw new InvalidDataException("bad chunk size");
                        }

                        pos += end + 2;
                        _remaining = size;
                        _state = size == 0 ? State.Trailers : State.ChunkData;
                        break;
                    }

                    case State.Trailers:
                    {
                        var end = span.IndexOf("\r\n"u8);
                        if (end < 0)
                        {
                            goto NeedMore;
                        }

                        pos += end + 2;
                        if (end == 0)
                        {
                            _state = State.Headers;
                            completed++;
                        }

                        break;
                    }
                }
            }

            Pending = 0;
            return completed;

        NeedMore:
            // Keep the unparsed tail at the front; grow only if one header block fills the buffer.
            var tail = length - pos;
            if (pos > 0)
            {
                Buffer.BlockCopy(buffer, pos, buffer, 0, tail);
            }
            else if (tail == buffer.Length)
            {
                if (buffer.Length >= 1 << 20)
                {
                    throw new InvalidDataException("request head larger than 1 MiB");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            Pending = tail;
            return completed;
        }

        private void ReadHeaders(ReadOnlySpan<byte> head)
        {
            _remaining = 0;
            var chunked = false;
            foreach (var range in head.Split("\r\n"u8))
            {
                var line = head[range];
                var colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    continue;
                }

                var name = Encoding.ASCII.GetString(line[..colon]).Trim();
                var value = Encoding.ASCII.GetString(line[(colon + 1)..]).Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    _remaining = long.TryParse(value, out var n) && n >= 0 ? n : throw new InvalidDataException("bad Content-Length");
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
            }

            _state = chunked ? State.ChunkSize : _remaining > 0 ? State.Body : State.Headers;
        }
    }
}
