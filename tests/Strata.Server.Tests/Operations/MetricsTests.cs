using System.Net;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Operations;

public class MetricsTests
{
    [Fact]
    public async Task Metrics_CountsWrittenPointsInPrometheusText()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("m");
        await server.WriteAsync("m", """[{"name":"s","columns":["v"],"points":[[1],[2],[3]]}]""");
        using var response = await server.GetAsync("/metrics");
        var text = await TestServer.Expect(response, HttpStatusCode.OK);
        text.ShouldContain("# TYPE strata_points_written_total counter\nstrata_points_written_total 3\n");
        text.ShouldContain("strata_write_requests_total 1\n");
        text.ShouldContain("# TYPE strata_write_stalls_total counter\nstrata_write_stalls_total 0\n");
        text.ShouldMatch(@"strata_wal_fsyncs_total [1-9]");
        text.ShouldContain("# TYPE strata_write_lock_wait_seconds_total counter\nstrata_write_lock_wait_seconds_total ");
        var held = System.Text.RegularExpressions.Regex.Match(text, @"\nstrata_write_lock_held_seconds_total ([0-9]+\.[0-9]{3,6})\n");
        held.Success.ShouldBeTrue();
        double.Parse(held.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Metrics_ReportTheProcessAndItsGarbageCollector()
    {
        await using var server = await TestServer.StartAsync();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        using var response = await server.GetAsync("/metrics");
        var text = await TestServer.Expect(response, HttpStatusCode.OK);
        text.ShouldMatch(@"\nprocess_resident_memory_bytes [1-9][0-9]{6,}\n");
        text.ShouldMatch(@"\ndotnet_gc_heap_bytes [1-9][0-9]*\n");
        text.ShouldMatch(@"\ndotnet_gc_allocated_bytes_total [1-9][0-9]*\n");
        text.ShouldContain("# TYPE dotnet_gc_collections_total counter\ndotnet_gc_collections_total{generation=\"0\"} ");
        text.ShouldMatch(@"\ndotnet_gc_collections_total\{generation=""2""\} [1-9][0-9]*\n");
        text.ShouldMatch(@"\ndotnet_gc_pause_seconds_total [0-9]+\.[0-9]{3,6}\n");
        text.ShouldContain("# TYPE dotnet_monitor_lock_contentions_total counter\ndotnet_monitor_lock_contentions_total ");
        text.ShouldMatch(@"\ndotnet_threadpool_threads [1-9][0-9]*\n");
        text.ShouldMatch(@"\ndotnet_threadpool_queue_length [0-9]+\n");
        text.ShouldMatch(@"\ndotnet_threadpool_completed_items_total [1-9][0-9]*\n");
    }
}
