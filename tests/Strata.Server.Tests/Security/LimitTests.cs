using System.Net;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Security;

public class LimitTests
{
    [Fact]
    public async Task Query_OverTheLengthLimitIs400AndALongButAllowedOneRuns()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        await server.WriteAsync("db1", """[{"name":"s","columns":["v"],"points":[[1]]}]""");

        var allowed = "select * from s where " + new string(' ', 100_000) + string.Join(" or ", Enumerable.Repeat("v = 1", 150));
        (await server.QueryAsync("db1", allowed))[0].GetProperty("points").GetArrayLength().ShouldBe(1);

        var (status, body) = await server.QueryRawAsync("db1", "select * from s where " + new string(' ', 300_000) + "v = 1");
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldStartWith("Query too long");
    }

    [Fact]
    public async Task DeeplyNestedJsonBody_Is400()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        var body = "[{\"name\":\"s\",\"columns\":[\"v\"],\"points\":[[" + new string('[', 5000) + new string(']', 5000) + "]]}]";
        using var response = await server.PostAsync(TestServer.Auth("/db/db1/series"), body);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
