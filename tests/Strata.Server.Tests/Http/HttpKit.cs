using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Http;

/// <summary>One finished HTTP exchange: status, raw body bytes and every response header as sent (raw text).</summary>
internal sealed class Reply
{
    private readonly Dictionary<string, string> _headers;

    public Reply(HttpStatusCode status, byte[] bytes, Dictionary<string, string> headers)
    {
        Status = status;
        Bytes = bytes;
        _headers = headers;
    }

    public HttpStatusCode Status { get; }

    public byte[] Bytes { get; }

    public string Body => Encoding.UTF8.GetString(Bytes);

    public string? ContentType => Header("Content-Type");

    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    public bool HasHeader(string name) => _headers.ContainsKey(name);

    /// <summary>Asserts the status and returns the body, showing the body when the status is wrong.</summary>
    public string ShouldHave(HttpStatusCode status)
    {
        Status.ShouldBe(status, $"body: {Body}");
        return Body;
    }

    public string ShouldHave(HttpStatusCode status, string body)
    {
        Status.ShouldBe(status, $"body: {Body}");
        Body.ShouldBe(body);
        return Body;
    }
}

/// <summary>Raw requests, JSON comparison and compression helpers shared by the HTTP conformance tests.</summary>
internal static class HttpKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string Json(string singleQuoted) => singleQuoted.Replace('\'', '"');

    /// <summary>Sends a request with optional body (string → UTF-8, no Content-Type) and raw headers; reads the whole reply.</summary>
    public static Task<Reply> SendAsync(this TestServer server, HttpMethod method, string path, string? body = null, params (string Name, string Value)[] headers) =>
        server.SendAsync(method, path, body is null ? null : new ByteArrayContent(Encoding.UTF8.GetBytes(body)), headers);

    public static async Task<Reply> SendAsync(this TestServer server, HttpMethod method, string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value).ShouldBeTrue($"cannot add header {name}");
            }
        }

        using var response = await server.Client.SendAsync(request, Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers.NonValidated)
        {
            all[header.Key] = header.Value.ToString();
        }

        foreach (var header in response.Content.Headers.NonValidated)
        {
            all[header.Key] = header.Value.ToString();
        }

        return new Reply(response.StatusCode, bytes, all);
    }

    public static Task<Reply> FetchAsync(this TestServer server, string path, params (string Name, string Value)[] headers) =>
        server.SendAsync(HttpMethod.Get, path, (HttpContent?)null, headers);

    /// <summary>Writes a body as root; returns the reply without asserting.</summary>
    public static Task<Reply> TryWriteAsync(this TestServer server, string database, string body, string? precision = null) =>
        server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{database}/series" + (precision is null ? "" : "?time_precision=" + precision)), body);

    /// <summary>Runs a query as root; returns the reply without asserting.</summary>
    public static Task<Reply> TryQueryAsync(this TestServer server, string database, string query, string? extra = null) =>
        server.FetchAsync(TestServer.Auth($"/db/{database}/series?q={Uri.EscapeDataString(query)}" + (extra is null ? "" : "&" + extra)));

    /// <summary>Runs a query as root and returns the body text of a 200.</summary>
    public static async Task<string> QueryTextAsync(this TestServer server, string database, string query, string? extra = null) =>
        (await server.TryQueryAsync(database, query, extra)).ShouldHave(HttpStatusCode.OK);

    public static async Task QueryShouldFailAsync(this TestServer server, string database, string query, string expectedBody)
    {
        var reply = await server.TryQueryAsync(database, query);
        reply.ShouldHave(HttpStatusCode.BadRequest, expectedBody);
    }

    public static Task ListSeriesShouldBeEmptyAsync(this TestServer server, string database) =>
        server.QueryShouldBeAsync(database, "list series", EmptyListSeries);

    public const string EmptyListSeries = """[{"name":"list_series_result","columns":["time","sequence_number","name"],"points":[]}]""";

    public static async Task QueryShouldBeAsync(this TestServer server, string database, string query, string expectedJson, string? extra = null) =>
        (await server.QueryTextAsync(database, query, extra)).ShouldBeJson(expectedJson);

    /// <summary>As <see cref="QueryShouldBeAsync"/>, but value columns of each series may come in any order (the `select *` rule).</summary>
    public static async Task StarQueryShouldBeAsync(this TestServer server, string database, string query, string expectedJson, string? extra = null) =>
        (await server.QueryTextAsync(database, query, extra)).ShouldBeJsonIgnoringColumnOrder(expectedJson);

    // ── JSON comparison (numbers by value) ────────────────────────────────────────────────────

    public static void ShouldBeJson(this string actual, string expected)
    {
        using var a = ParseOrFail(actual);
        using var e = JsonDocument.Parse(expected);
        var difference = Difference(a.RootElement, e.RootElement, "$");
        difference.ShouldBeNull($"\nactual:   {actual}\nexpected: {expected}");
    }

    /// <summary>Compares after putting every series' value columns (all but time, sequence_number) in ordinal order.</summary>
    public static void ShouldBeJsonIgnoringColumnOrder(this string actual, string expected)
    {
        string canonicalActual;
        using (var a = ParseOrFail(actual))
        {
            canonicalActual = CanonicalColumns(a.RootElement);
        }

        using var e = JsonDocument.Parse(expected);
        canonicalActual.ShouldBeJson(CanonicalColumns(e.RootElement));
    }

    private static JsonDocument ParseOrFail(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ShouldAssertException($"body is not one JSON value ({ex.Message}): {text}");
        }
    }

    private static string? Difference(JsonElement a, JsonElement e, string path)
    {
        if (a.ValueKind != e.ValueKind)
        {
            return $"{path}: kind {a.ValueKind} ≠ expected {e.ValueKind}";
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var actualNames = a.EnumerateObject().Select(p => p.Name).ToList();
                var expectedNames = e.EnumerateObject().Select(p => p.Name).ToList();
                if (!actualNames.Order(StringComparer.Ordinal).SequenceEqual(expectedNames.Order(StringComparer.Ordinal)))
                {
                    return $"{path}: keys [{string.Join(",", actualNames)}] ≠ expected [{string.Join(",", expectedNames)}]";
                }

                foreach (var property in e.EnumerateObject())
                {
                    var d = Difference(a.GetProperty(property.Name), property.Value, path + "." + property.Name);
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != e.GetArrayLength())
                {
                    return $"{path}: length {a.GetArrayLength()} ≠ expected {e.GetArrayLength()}";
                }

                for (var i = 0; i < e.GetArrayLength(); i++)
                {
                    var d = Difference(a[i], e[i], $"{path}[{i}]");
                    if (d is not null)
                    {
                        return d;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return NumbersEqual(a, e) ? null : $"{path}: {a.GetRawText()} ≠ expected {e.GetRawText()}";
            case JsonValueKind.String:
                return a.GetString() == e.GetString() ? null : $"{path}: {a.GetRawText()} ≠ expected {e.GetRawText()}";
            default:
                return null;
        }
    }

    private static bool NumbersEqual(JsonElement a, JsonElement e)
    {
        if (a.TryGetInt64(out var al) && e.TryGetInt64(out var el))
        {
            return al == el;
        }

        if (a.TryGetDecimal(out var ad) && e.TryGetDecimal(out var ed))
        {
            return ad == ed;
        }

        return a.GetDouble().Equals(e.GetDouble());
    }

    private static string CanonicalColumns(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return root.GetRawText();
        }

        var output = new StringBuilder("[");
        var firstSeries = true;
        foreach (var series in root.EnumerateArray())
        {
            output.Append(firstSeries ? "" : ",");
            firstSeries = false;
            if (!series.TryGetProperty("columns", out var columnsElement) || !series.TryGetProperty("points", out var pointsElement)
                || columnsElement.ValueKind != JsonValueKind.Array || pointsElement.ValueKind != JsonValueKind.Array)
            {
                output.Append(series.GetRawText());
                continue;
            }

            var columns = columnsElement.EnumerateArray().Select(c => c.GetString() ?? "").ToList();
            var order = Enumerable.Range(0, columns.Count)
                .OrderBy(i => columns[i] == "time" ? 0 : columns[i] == "sequence_number" ? 1 : 2)
                .ThenBy(i => columns[i], StringComparer.Ordinal)
                .ToList();
            output.Append("{\"name\":").Append(series.TryGetProperty("name", out var name) ? name.GetRawText() : "null");
            output.Append(",\"columns\":[").Append(string.Join(",", order.Select(i => JsonSerializer.Serialize(columns[i])))).Append(']');
            output.Append(",\"points\":[");
            var firstPoint = true;
            foreach (var point in pointsElement.EnumerateArray())
            {
                output.Append(firstPoint ? "[" : ",[");
                firstPoint = false;
                var cells = point.EnumerateArray().Select(c => c.GetRawText()).ToList();
                output.Append(string.Join(",", order.Select(i => i < cells.Count ? cells[i] : "\"<missing cell>\""))).Append(']');
            }

            output.Append("]}");
        }

        return output.Append(']').ToString();
    }

    // ── chunked query output: concatenated JSON values ─────────────────────────────────────────

    /// <summary>Splits `{…}{…}` (no separator, possibly pretty) into its JSON values.</summary>
    public static List<JsonElement> SplitConcatenated(string body)
    {
        var values = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            values.Add(document.RootElement.Clone());
        }

        return values;
    }

    // ── compression ─────────────────────────────────────────────────────────────────────────

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public static byte[] Zlib(string text)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal))
        {
            zlib.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public static string Gunzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static string Unzlib(byte[] bytes)
    {
        using var zlib = new ZLibStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(zlib, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // ── time ──────────────────────────────────────────────────────────────────────────────────

    public static long NowMicros() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public static long NowMillis() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A request body sent with `Transfer-Encoding: chunked` (length unknown up front), as statsd's backend does.</summary>
internal sealed class ChunkedContent(byte[] bytes) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var half = bytes.Length / 2;
        await stream.WriteAsync(bytes.AsMemory(0, half));
        await stream.FlushAsync();
        await stream.WriteAsync(bytes.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>One Strata shared by the tests of a class; each test takes its own database.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private TestServer? _server;
    private int _next;

    internal TestServer Server => _server ?? throw new InvalidOperationException("BUG: the fixture is not initialised");

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    internal async Task<string> NewDatabaseAsync()
    {
        var name = "db" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        await Server.CreateDatabaseAsync(name);
        return name;
    }
}
