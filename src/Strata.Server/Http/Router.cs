using System.IO.Compression;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Strata.Core;

namespace Strata.Server.Http;

public delegate Task ApiHandler(ApiContext context);

/// <summary>
/// 0.8.8's routing rules (reference http-api.md §1.2, the bmizerany/pat muxer): match on the decoded path, a
/// capture spans up to the next '/' and may be empty, no trailing-slash tolerance, HEAD runs GET, OPTIONS answers
/// 200 on every pattern, unknown path 404, known path with another method 405 with Allow. Registered routes get
/// the CORS and version headers (§1.3) and GET routes compress their responses (§1.4).
/// </summary>
public sealed partial class Router
{
    public const string VersionHeader = "InfluxDB v0.8.8 (git: strata) (leveldb: 1.15)";

    /// <summary>An empty gzip member: header, an empty final deflate block, CRC 0 and length 0.</summary>
    private static readonly byte[] EmptyGzip = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>An empty zlib stream: header, an empty final deflate block, Adler-32 of nothing (1).</summary>
    private static readonly byte[] EmptyZlib = [0x78, 0x01, 3, 0, 0, 0, 0, 1];

    private readonly List<(string Method, string[] Segments, ApiHandler Handler)> _routes = [];
    private readonly StrataServices _services;
    private readonly ILogger _logger;
    private readonly Logging.LogRateLimiter _errors = new(TimeSpan.FromMinutes(1));

    public Router(StrataServices services, ILogger logger)
    {
        _services = services;
        _logger = logger;
    }

    public void Get(string pattern, ApiHandler handler) => Map("GET", pattern, handler);

    public void Post(string pattern, ApiHandler handler) => Map("POST", pattern, handler);

    public void Delete(string pattern, ApiHandler handler) => Map("DELETE", pattern, handler);

    private void Map(string method, string pattern, ApiHandler handler) =>
        _routes.Add((method, pattern.Split('/')[1..], handler));

    public async Task DispatchAsync(HttpContext http)
    {
        var path = DecodedPath(http.Request);
        var segments = path.Split('/')[1..];
        var method = http.Request.Method;
        var lookup = method == "HEAD" ? "GET" : method;
        var allowed = new List<string>();
        foreach (var (routeMethod, pattern, handler) in _routes)
        {
            var captures = Match(pattern, segments);
            if (captures is null)
            {
                continue;
            }

            if (method == "OPTIONS")
            {
                AddCommonHeaders(http.Response);
                http.Response.StatusCode = 200;
                return;
            }

            if (routeMethod == lookup)
            {
                await RunAsync(http, routeMethod, handler, captures);
                return;
            }

            if (!allowed.Contains(routeMethod))
            {
                allowed.Add(routeMethod);
                if (routeMethod == "GET")
                {
                    allowed.Add("HEAD");
                }
            }
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        if (allowed.Count == 0)
        {
            http.Response.StatusCode = 404;
            await http.Response.WriteAsync("404 page not found\n");
            return;
        }

        allowed.Add("OPTIONS");
        http.Response.StatusCode = 405;
        http.Response.Headers.Allow = string.Join(", ", allowed);
        await http.Response.WriteAsync("Method Not Allowed\n");
    }

    /// <summary>The path with every escape decoded, %2F included, as Go's router sees it.</summary>
    private static string DecodedPath(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        return path.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(path) : path;
    }

    private static Dictionary<string, string>? Match(string[] pattern, string[] segments)
    {
        if (pattern.Length != segments.Length)
        {
            return null;
        }

        Dictionary<string, string>? captures = null;
        for (var i = 0; i < pattern.Length; i++)
        {
            var p = pattern[i];
            if (p.StartsWith(':'))
            {
                captures ??= [];
                captures[p[1..]] = segments[i];
            }
            else if (p != segments[i])
            {
                return null;
            }
        }

        return captures ?? [];
    }

    private static void AddCommonHeaders(HttpResponse response)
    {
        var h = response.Headers;
        h.AccessControlAllowOrigin = "*";
        h.AccessControlMaxAge = "2592000";
        h.AccessControlAllowMethods = "GET, POST, PUT, DELETE";
        h.AccessControlAllowHeaders = "Origin, X-Requested-With, Content-Type, Accept";
        h["X-Influxdb-Version"] = VersionHeader;
    }

    private async Task RunAsync(HttpContext http, string routeMethod, ApiHandler handler, Dictionary<string, string> captures)
    {
        AddCommonHeaders(http.Response);
        var original = http.Response.Body;
        Stream? compressor = null;
        WriteTrackingStream? tracker = null;
        if (routeMethod == "GET")
        {
            compressor = ChooseCompression(http, original);
            if (compressor is not null)
            {
                tracker = new WriteTrackingStream(compressor);
                http.Response.Body = tracker;
            }
        }

        try
        {
            var context = new ApiContext(http, captures, _services);
            try
            {
                await handler(context);
            }
            catch (StrataException e) when (!http.Response.HasStarted)
            {
                if (e.Status == 401)
                {
                    http.Response.Headers.WWWAuthenticate = "Basic realm=\"influxdb\"";
                }

                await context.TextAsync(e.Status, e.Message);
            }
            catch (BadHttpRequestException e) when (!http.Response.HasStarted)
            {
                await context.TextAsync(e.StatusCode, e.StatusCode == 413 ? "Request body too large" : e.Message);
            }
            catch (Exception e) when (e is not (OperationCanceledException or ConnectionResetException) && !http.Response.HasStarted)
            {
                // One stack trace per kind of failure and route a minute: a client repeating a failing request cannot
                // flood the log.
                if (_errors.TryAcquire(http.Request.Method + " " + http.Request.Path + " " + e.GetType().Name, out var suppressed))
                {
                    HttpLog.InternalError(_logger, http.Request.Method, http.Request.Path, suppressed, e);
                }

                await context.TextAsync(500, "Internal Error: " + e.Message);
            }
        }
        finally
        {
            if (compressor is not null)
            {
                http.Response.Body = original;
                if (!tracker!.Written && http.Request.Method != "HEAD")
                {
                    // .NET writes nothing for an empty compressed body; Go writes an empty stream (§1.4).
                    await original.WriteAsync(compressor is GZipStream ? EmptyGzip : EmptyZlib);
                }

                await compressor.DisposeAsync();
            }
        }
    }

    /// <summary>0.8 splits Accept-Encoding on ',' without trimming: the first token that is exactly gzip or deflate wins.</summary>
    private static Stream? ChooseCompression(HttpContext http, Stream original)
    {
        foreach (var header in http.Request.Headers.AcceptEncoding)
        {
            if (header is null)
            {
                continue;
            }

            foreach (var token in header.Split(','))
            {
                if (token == "gzip")
                {
                    http.Response.Headers.ContentEncoding = "gzip";
                    var gzip = new GZipStream(original, CompressionLevel.Fastest, leaveOpen: true);
                    http.Response.Body = gzip;
                    return gzip;
                }

                if (token == "deflate")
                {
                    http.Response.Headers.ContentEncoding = "deflate";
                    var zlib = new ZLibStream(original, CompressionLevel.Fastest, leaveOpen: true);
                    http.Response.Body = zlib;
                    return zlib;
                }
            }
        }

        return null;
    }
}
