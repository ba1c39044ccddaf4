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
        var limit = Services.Options.MaxBodyBytes;
        var source = decoded ?? Request.Body;
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = await source.ReadAsync(chunk.AsMemory(), Http.RequestAborted)) > 0)
            {
                if (buffer.Length + n > limit)
                {
                    throw new StrataException(413, $"Request body too large (limit {limit} bytes)");
                }

                buffer.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
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
        var buffer = new ArrayBufferWriter<byte>(4096);
        write(new GoJsonWriter(buffer, Pretty));
        Response.StatusCode = status;
        Response.ContentType = "application/json";
        await Response.Body.WriteAsync(buffer.WrittenMemory, Http.RequestAborted);
    }
}
