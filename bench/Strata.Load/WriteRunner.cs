using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Strata.Load;

/// <summary>
/// The write workload: pre-built bodies POSTed over <c>--connections</c> keep-alive connections by as
/// many workers pulling from one shared queue.
/// </summary>
internal sealed class WriteRunner(Options options, Uri baseUrl, TextWriter output, TextWriter progress)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue Text = new("text/plain") { CharSet = "utf-8" };

    /// <summary>The result line numbers of one run.</summary>
    /// <remarks><paramref name="GeneratorCpu"/> is this process's user + system CPU time between the clock's start and stop.</remarks>
    public sealed record Result(long Points, long Requests, long Bytes, TimeSpan Elapsed, Percentiles Latency, TimeSpan GeneratorCpu, int GeneratorGcs, TimeSpan GeneratorGcPause)
    {
        public double PointsPerSecond => Points / Elapsed.TotalSeconds;
    }

    /// <summary>Creates the HTTP client every mode shares: one pool of up to <paramref name="connections"/> keep-alive connections.</summary>
    public static HttpClient CreateClient(int connections, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
    })
    {
        Timeout = timeout,
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>Builds the bodies, creates the database if asked, sends everything; null when a request failed (already reported).</summary>
    public async Task<Result?> RunAsync()
    {
        var build = Stopwatch.StartNew();
        var bodies = new BodyBuilder(options).BuildAll();
        long totalBytes = 0;
        foreach (var body in bodies)
        {
            totalBytes += body.Bytes.Length;
        }

        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"built {bodies.Count} bodies, {options.TotalPoints} points, {totalBytes / 1048576.0:F1} MiB in {build.Elapsed.TotalSeconds:F1} s ({options.Format}, {options.Series} series × {options.Points} points × {options.Columns} columns, batch {options.Batch})"));

        using var client = CreateClient(options.Connections, options.Timeout);
        if (options.CreateDb && !await CreateDatabaseAsync(client))
        {
            return null;
        }

        if (!await OpenConnectionsAsync(client))
        {
            return null;
        }

        var target = WriteUrl();
        var contentType = options.Format == BodyFormat.Json ? Json : Text;
        var latencies = new long[bodies.Count];
        var starts = new long[bodies.Count];
        var next = -1;
        long pointsDone = 0;
        string? failure = null;
        using var stop = new CancellationTokenSource();

        async Task Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= bodies.Count)
                {
                    return;
                }

                var body = bodies[i];
                using var content = new ByteArrayContent(body.Bytes);
                content.Headers.ContentType = contentType;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsync(target, content, stop.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        var text = await response.Content.ReadAsStringAsync(stop.Token);
                        Fail($"request {i} failed: {(int)response.StatusCode} {response.ReasonPhrase}: {text}");
                        return;
                    }

                    // Drain the (normally empty) body so the connection is reused.
                    await response.Content.CopyToAsync(Stream.Null, stop.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    if (!stop.IsCancellationRequested)
                    {
                        Fail($"request {i} failed: {ex.Message}");
                    }

                    return;
                }

                latencies[i] = Stopwatch.GetTimestamp() - started;
                starts[i] = started;
                Interlocked.Add(ref pointsDone, body.Points);
            }
        }

        void Fail(string message)
        {
            if (Interlocked.CompareExchange(ref failure, message, null) is null)
            {
                stop.Cancel();
            }
        }

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var gcsBefore = GC.CollectionCount(0);
        var gcPauseBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var clockStarted = Stopwatch.GetTimestamp();
        var workers = new Task[options.Connections];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(Worker);
        }

        var all = Task.WhenAll(workers);
        var lastPoints = 0L;
        var lastTime = TimeSpan.Zero;
        while (await Task.WhenAny(all, Task.Delay(options.Progress)) != all)
        {
            var points = Interlocked.Read(ref pointsDone);
            var now = clock.Elapsed;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{now.TotalSeconds,7:F1} s  {points,12:N0} points  {(points - lastPoints) / (now - lastTime).TotalSeconds,12:N0} points/s now  {points / now.TotalSeconds,12:N0} points/s overall"));
            lastPoints = points;
            lastTime = now;
        }

        await all;
        var elapsed = clock.Elapsed;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        if (failure is not null)
        {
            output.WriteLine(failure);
            return null;
        }

        if (options.LatencyLog is { } path)
        {
            WriteLatencyLog(path, starts, latencies, clockStarted);
        }

        return new Result(pointsDone, bodies.Count, totalBytes, elapsed, Percentiles.FromTicks(latencies), cpu, GC.CollectionCount(0) - gcsBefore, GC.GetTotalPauseDuration() - gcPauseBefore);
    }

    /// <summary>One line per request in the order they started: start and latency in milliseconds since the clock started.</summary>
    private static void WriteLatencyLog(string path, long[] starts, long[] latencies, long clockStarted)
    {
        var order = new int[starts.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(starts.ToArray(), order);
        using var log = new StreamWriter(path);
        log.WriteLine("request\tstart_ms\tlatency_ms");
        foreach (var i in order)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i}\t{Stopwatch.GetElapsedTime(clockStarted, starts[i]).TotalMilliseconds:F2}\t{TimeSpan.FromTicks(latencies[i] * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalMilliseconds:F2}"));
        }
    }

    /// <summary>Prints the summary block of a finished run.</summary>
    public static void Print(Result r, TextWriter output, string label)
    {
        var s = r.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {label}
              points      {r.Points:N0}
              seconds     {s:F2}
              points/s    {r.Points / s:N0}
              requests/s  {r.Requests / s:N1}   ({r.Requests:N0} requests)
              MiB/s       {r.Bytes / 1048576.0 / s:F1}   ({r.Bytes / 1048576.0:F1} MiB)
              latency     {r.Latency}
              cpu         {r.GeneratorCpu.TotalSeconds:F2} s user+system in the generator ({r.GeneratorCpu.TotalSeconds / s:F2} cores over the run)
              gc          {r.GeneratorGcs} collections, {r.GeneratorGcPause.TotalMilliseconds:F1} ms paused in the generator
            """));
    }

    private Uri WriteUrl()
    {
        var u = Uri.EscapeDataString(options.User);
        var p = Uri.EscapeDataString(options.Password);
        var db = Uri.EscapeDataString(options.Database);
        return options.Format == BodyFormat.Json
            ? new Uri(baseUrl, $"/db/{db}/series?u={u}&p={p}&time_precision={options.Precision}")
            : new Uri(baseUrl, $"/write?db={db}&u={u}&p={p}&precision={options.Precision}");
    }

    /// <summary>
    /// Opens the keep-alive connections before the clock starts, with one concurrent <c>GET /ping</c>
    /// each, so connection setup and first-call JIT do not land in the first requests' latency.
    /// </summary>
    private async Task<bool> OpenConnectionsAsync(HttpClient client)
    {
        var pings = new Task<HttpResponseMessage>[options.Connections];
        for (var i = 0; i < pings.Length; i++)
        {
            pings[i] = client.GetAsync(new Uri(baseUrl, "/ping"));
        }

        try
        {
            foreach (var response in await Task.WhenAll(pings))
            {
                using (response)
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        output.WriteLine($"GET /ping failed: {(int)response.StatusCode} {response.ReasonPhrase}");
                        return false;
                    }
                }
            }
        }
        catch (HttpRequestException ex)
        {
            output.WriteLine($"GET /ping failed: {ex.Message}");
            return false;
        }

        return true;
    }

    /// <summary>0.8: POST /db {"name":db}; line protocol peers: CREATE DATABASE. 201, 409 (exists) and other 2xx are fine.</summary>
    private async Task<bool> CreateDatabaseAsync(HttpClient client)
    {
        var u = Uri.EscapeDataString(options.User);
        var p = Uri.EscapeDataString(options.Password);
        using var request = options.Format == BodyFormat.Json
            ? new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, $"/db?u={u}&p={p}"))
            {
                Content = new StringContent(
                    "{\"name\":" + System.Text.Json.JsonSerializer.Serialize(options.Database) + "}", Encoding.UTF8, "application/json"),
            }
            : new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl,
                $"/query?u={u}&p={p}&q={Uri.EscapeDataString($"CREATE DATABASE \"{options.Database}\"")}"));
        try
        {
            using var response = await client.SendAsync(request);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
            {
                return true;
            }

            output.WriteLine($"create database {options.Database} failed: {(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync()}");
        }
        catch (HttpRequestException ex)
        {
            output.WriteLine($"create database {options.Database} failed: {ex.Message}");
        }

        return false;
    }
}
