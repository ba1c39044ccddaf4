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
        text.ShouldMatch(@"strata_wal_fsyncs_total [1-9]");
    }
}
