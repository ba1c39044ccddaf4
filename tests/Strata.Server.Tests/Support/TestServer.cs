using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Strata.Server;
using Strata.Server.Config;

namespace Strata.Server.Tests.Support;

/// <summary>
/// A real Strata on an ephemeral 127.0.0.1 port with its data in a fresh temp directory, deleted on dispose.
/// Requests default to root/root credentials via u/p unless a test passes its own.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private StrataHost _host;
    private readonly bool _ownsDirectory;

    private TestServer(StrataHost host, string dataDir, StrataOptions options, bool ownsDirectory)
    {
        _host = host;
        DataDir = dataDir;
        Options = options;
        _ownsDirectory = ownsDirectory;
        Client = NewClient(host.ApiAddress);
    }

    public string DataDir { get; }

    public StrataOptions Options { get; }

    public HttpClient Client { get; private set; }

    public Uri BaseAddress => _host.ApiAddress;

    public StrataHost Host => _host;

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "strata-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Removes a test's directory; one a process still holds open is left for the OS to clean.</summary>
    public static void DeleteDataDir(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static async Task<TestServer> StartAsync(Func<StrataOptions, StrataOptions>? configure = null, string? dataDir = null)
    {
        var owns = dataDir is null;
        dataDir ??= NewDataDir();
        var options = new StrataOptions { DataDir = dataDir };
        if (configure is not null)
        {
            options = configure(options);
        }

        var host = await StrataHost.StartAsync(options, ephemeralPort: true);
        return new TestServer(host, dataDir, options, owns);
    }

    /// <summary>Stops the server cleanly and starts it again on the same data directory.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        _host = await StrataHost.StartAsync(Options, ephemeralPort: true);
        Client = NewClient(_host.ApiAddress);
    }

    private static HttpClient NewClient(Uri address) => new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static string Auth(string path, string user = "root", string password = "root") =>
        path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "u=" + Uri.EscapeDataString(user) + "&p=" + Uri.EscapeDataString(password);

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, string body, string? contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return Client.PostAsync(path, content);
    }

    public Task<HttpResponseMessage> DeleteAsync(string path) => Client.DeleteAsync(path);

    /// <summary>Creates a database as root and asserts 201.</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        using var response = await PostAsync(Auth("/db"), JsonSerializer.Serialize(new { name }));
        (await Expect(response, HttpStatusCode.Created)).ShouldBeEmpty();
    }

    /// <summary>Writes a 0.8 JSON body as root and asserts 200.</summary>
    public async Task WriteAsync(string database, string body, string? precision = null)
    {
        var path = $"/db/{database}/series" + (precision is null ? string.Empty : "?time_precision=" + precision);
        using var response = await PostAsync(Auth(path), body);
        await Expect(response, HttpStatusCode.OK);
    }

    /// <summary>Runs a query as root, asserts 200 and returns the parsed JSON.</summary>
    public async Task<JsonElement> QueryAsync(string database, string query, string? extra = null)
    {
        using var response = await GetAsync(Auth($"/db/{database}/series?q={Uri.EscapeDataString(query)}" + (extra is null ? string.Empty : "&" + extra)));
        var text = await Expect(response, HttpStatusCode.OK);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Runs a query as root and returns status and body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> QueryRawAsync(string database, string query, string? extra = null)
    {
        using var response = await GetAsync(Auth($"/db/{database}/series?q={Uri.EscapeDataString(query)}" + (extra is null ? string.Empty : "&" + extra)));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, $"body: {body}");
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        if (_ownsDirectory)
        {
            DeleteDataDir(DataDir);
        }
    }
}
