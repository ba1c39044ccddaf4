using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Durability;

/// <summary>
/// A child server is SIGKILLed during ingest and restarted: every point whose write was acknowledged (200) must be
/// there. Small memtables make flushes and compactions happen during the run, so the kill can land in any phase.
/// </summary>
public class CrashTests
{
    [Fact]
    public async Task Kill9DuringIngest_LosesNoAcknowledgedPoint()
    {
        var dataDir = TestServer.NewDataDir();
        var acknowledged = new ConcurrentBag<(string Series, int Batch)>();
        const int PointsPerBatch = 200;
        try
        {
            using (var server = await ChildServer.StartAsync(dataDir, "memtable-size = \"1m\""))
            {
                using (var create = await server.Client.PostAsync(TestServer.Auth("/db"), new StringContent("{\"name\":\"crash\"}")))
                {
                    create.StatusCode.ShouldBe(HttpStatusCode.Created);
                }

                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (var batch = 0; batch < 100_000 && !stop.IsCancellationRequested; batch++)
                    {
                        var series = $"w{w}";
                        var body = Body(series, batch, PointsPerBatch);
                        try
                        {
                            using var response = await server.Client.PostAsync(TestServer.Auth("/db/crash/series?time_precision=s"), new StringContent(body, Encoding.UTF8, "application/json"));
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                acknowledged.Add((series, batch));
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return; // the server is gone
                        }
                        catch (TaskCanceledException)
                        {
                            return;
                        }
                    }
                })).ToArray();

                // Let enough data in to cause flushes (1 MiB memtables), then pull the plug mid-stream.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (acknowledged.Count < 150 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }

                server.Kill();
                stop.Cancel();
                await Task.WhenAll(writers);
            }

            acknowledged.Count.ShouldBeGreaterThan(20);
            using var restarted = await ChildServer.StartAsync(dataDir);
            foreach (var group in acknowledged.GroupBy(a => a.Series))
            {
                var q = Uri.EscapeDataString($"select * from {group.Key}");
                using var response = await restarted.Client.GetAsync(TestServer.Auth($"/db/crash/series?q={q}&time_precision=s"));
                var text = await response.Content.ReadAsStringAsync();
                response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
                var times = new HashSet<long>();
                foreach (var point in JsonDocument.Parse(text).RootElement[0].GetProperty("points").EnumerateArray())
                {
                    times.Add(point[0].GetInt64());
                }

                foreach (var (_, batch) in group)
                {
                    for (var i = 0; i < PointsPerBatch; i++)
                    {
                        times.ShouldContain(TimeOf(batch, i), $"series {group.Key} batch {batch} point {i} was acknowledged but is missing");
                    }
                }
            }
        }
        finally
        {
            TestServer.DeleteDataDir(dataDir);
        }
    }

    [Fact]
    public async Task Sigterm_StopsCleanlyAndKeepsData()
    {
        var dataDir = TestServer.NewDataDir();
        try
        {
            using (var server = await ChildServer.StartAsync(dataDir))
            {
                using var create = await server.Client.PostAsync(TestServer.Auth("/db"), new StringContent("{\"name\":\"t\"}"));
                create.StatusCode.ShouldBe(HttpStatusCode.Created);
                using var write = await server.Client.PostAsync(TestServer.Auth("/db/t/series"), new StringContent(Body("s", 0, 10)));
                write.StatusCode.ShouldBe(HttpStatusCode.OK);
                server.Terminate().ShouldBe(0);
            }

            using var restarted = await ChildServer.StartAsync(dataDir);
            using var response = await restarted.Client.GetAsync(TestServer.Auth("/db/t/series?q=select%20*%20from%20s"));
            var text = await response.Content.ReadAsStringAsync();
            JsonDocument.Parse(text).RootElement[0].GetProperty("points").GetArrayLength().ShouldBe(10);
        }
        finally
        {
            TestServer.DeleteDataDir(dataDir);
        }
    }

    private static long TimeOf(int batch, int i) => 1_500_000_000L + ((long)batch * 1000) + i;

    private static string Body(string series, int batch, int points)
    {
        var text = new StringBuilder();
        text.Append("[{\"name\":\"").Append(series).Append("\",\"columns\":[\"time\",\"value\"],\"points\":[");
        for (var i = 0; i < points; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append('[').Append(TimeOf(batch, i)).Append(',').Append(i * 0.5).Append(']');
        }

        return text.Append("]}]").ToString();
    }
}
