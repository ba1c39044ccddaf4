using System.Diagnostics;
using System.Globalization;

namespace Strata.Load;

/// <summary>
/// The query workload: one query GET repeated on one connection, after a few unmeasured warm-up
/// requests; prints latency percentiles and the response size.
/// </summary>
internal sealed class QueryRunner(Options options, Uri baseUrl, TextWriter output)
{
    /// <summary>
    /// Returns the process exit code: 0, or 1 when a request failed. With <paramref name="raw"/>,
    /// <paramref name="query"/> is a path and query string sent as given (<c>--get</c>).
    /// </summary>
    public async Task<int> RunAsync(string query, bool raw = false)
    {
        using var client = WriteRunner.CreateClient(1, options.Timeout);
        var url = raw ? new Uri(baseUrl, query) : QueryUrl(query);
        var latencies = new long[options.Repeat];
        var drain = new byte[64 * 1024];
        long size = 0;
        for (var i = -options.Warmup; i < options.Repeat; i++)
        {
            var started = Stopwatch.GetTimestamp();
            long length = 0;
            try
            {
                // The answer is read to its end into one reused buffer: the clock includes every byte, not the
                // copies a buffered read of a multi-megabyte answer would add on this side.
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    output.WriteLine($"query failed: {(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync()}");
                    return 1;
                }

                await using var body = await response.Content.ReadAsStreamAsync();
                int read;
                while ((read = await body.ReadAsync(drain)) > 0)
                {
                    length += read;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                output.WriteLine($"query failed: {ex.Message}");
                return 1;
            }

            if (i >= 0)
            {
                latencies[i] = Stopwatch.GetTimestamp() - started;
            }

            size = length;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            query       {(raw ? Uri.UnescapeDataString(url.Query.TrimStart('?')) : query)}
            url         {url.GetLeftPart(UriPartial.Path)}
            response    {size:N0} bytes
            latency     {Percentiles.FromTicks(latencies)}   (after {options.Warmup} warm-up requests)
            """));
        return 0;
    }

    private Uri QueryUrl(string query)
    {
        var q = Uri.EscapeDataString(query);
        var u = Uri.EscapeDataString(options.User);
        var p = Uri.EscapeDataString(options.Password);
        var db = Uri.EscapeDataString(options.Database);
        return options.Format == BodyFormat.Json
            ? new Uri(baseUrl, $"/db/{db}/series?q={q}&u={u}&p={p}")
            : new Uri(baseUrl, $"/query?db={db}&q={q}&u={u}&p={p}");
    }
}
