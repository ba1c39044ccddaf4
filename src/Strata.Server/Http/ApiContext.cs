using System.Buffers;
using Microsoft.AspNetCore.Http;
using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Server.Http;

/// <summary>One request as a handler sees it: route captures, 0.8's query-parameter rules and response helpers.</summary>
public sealed class ApiContext
{
    private readonly Dictionary<string, string> _route;

    public ApiContext(HttpContext http, Dictionary<string, string> route, StrataServices services)
    {
        Http = http;
        _route = route;
        Services = services;
    }

    public HttpContext Http { get; }

    public StrataServices Services { get; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    /// <summary>A route capture such as <c>:db</c> (decoded; may be empty).</summary>
    public string Route(string name) => _route[name];

    /// <summary>A query parameter; when it appears twice the first value wins; absent → null.</summary>
    public string? Query(string name)
    {
        var values = Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    public bool Pretty => Query("pretty") == "true";

    /// <summary>Reads the whole request body, enforcing the configured size limit.</summary>
    public async Task<byte[]> ReadBodyAsync(Stream? decoded = null)
    {
        using var body = await ReadPooledBodyAsync(decoded);
        return body.Span.ToArray();
    }

    /// <summary>
    /// Reads the whole request body into a pooled buffer, enforcing the configured size limit (413). A body whose
    /// Content-Length is known is read into one buffer of that size; dispose the result to return it.
    /// </summary>
    public async Task<PooledBody> ReadPooledBodyAsync(Stream? decoded = null)
    {
        var limit = Math.Min(Services.Options.MaxBodyBytes, Array.MaxLength - 1L);
        var source = decoded ?? Request.Body;
        var declared = decoded is null ? Request.ContentLength : null;
        var size = declared is { } length and > 0 ? (int)Math.Min(length, limit) + 1 : 64 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await source.ReadAsync(buffer.AsMemory(filled), Http.RequestAborted);
                if (n == 0)
                {
                    break;
                }

                filled += n;
                if (filled > limit)
                {
                    throw new StrataException(413, $"Request body too large (limit {Services.Options.MaxBodyBytes} bytes)");
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new PooledBody(buffer, filled);
    }

    public Task EmptyAsync(int status)
    {
        Response.StatusCode = status;
        Response.ContentType = "text/plain";
        return Task.CompletedTask;
    }

    public Task TextAsync(int status, string text, string contentType = "text/plain")
    {
        Response.StatusCode = status;
        Response.ContentType = contentType;
        return Response.WriteAsync(text);
    }

    /// <summary>Writes one JSON value built by <paramref name="write"/> (pretty when asked).</summary>
    public async Task JsonAsync(int status, Action<GoJsonWriter> write)
    {
        using var body = new PooledChunkWriter();
        write(new GoJsonWriter(body, Pretty));
        await JsonAsync(status, body);
    }

    /// <summary>Sends a JSON value composed in <paramref name="body"/>.</summary>
    public async Task JsonAsync(int status, PooledChunkWriter body)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/json";
        await body.CopyToAsync(Response.Body, Http.RequestAborted);
    }
}

/// <summary>A request body in a pooled buffer; <see cref="Dispose"/> returns the buffer.</summary>
public struct PooledBody : IDisposable
{
    private byte[]? _buffer;

    public PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public readonly ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
