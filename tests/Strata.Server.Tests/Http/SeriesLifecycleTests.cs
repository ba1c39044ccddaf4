using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §4.4 (DELETE /db/:db/series/:series, Strata drops by exact decoded name) and durability across a clean restart.</summary>
public sealed class SeriesLifecycleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private static Task<Reply> DropAsync(TestServer server, string db, string escapedSeries) =>
        server.SendAsync(HttpMethod.Delete, TestServer.Auth($"/db/{db}/series/{escapedSeries}"));

    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData("cpu.load", "cpu.load")]
    [InlineData("my series", "my%20series")]
    [InlineData("cpu-1", "cpu-1")]
    [InlineData("100%", "100%25")]
    [InlineData("ünï", "%C3%BCn%C3%AF")]
    [InlineData("a\"b", "a%22b")]
    public async Task DropSeries_Answers204AndTheSeriesIsGone(string name, string escaped)
    {
        var db = await fixture.NewDatabaseAsync();
        var encoded = JsonSerializer.Serialize(name);
        await Server.WriteAsync(db, $$"""[{"name":{{encoded}},"columns":["time","sequence_number","v"],"points":[[1000,1,1]]},{"name":"other","columns":["time","sequence_number","v"],"points":[[1000,1,2]]}]""");

        var reply = await DropAsync(Server, db, escaped);
        reply.ShouldHave(HttpStatusCode.NoContent, "");

        await Server.QueryShouldBeAsync(db, "list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"other"]]}]""");
        await Server.QueryShouldBeAsync(db, "select * from other", """[{"name":"other","columns":["time","sequence_number","v"],"points":[[1000,1,2]]}]""");
        var quoted = "\"" + name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        (await Server.TryQueryAsync(db, $"select * from {quoted}")).ShouldHave(HttpStatusCode.BadRequest, "Couldn't find series: " + name);
    }

    [Fact]
    public async Task DropSeries_SelectAfterDropIsCouldNotFindSeries()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"cpu","columns":["time","sequence_number","v"],"points":[[1000,1,1],[2000,1,2]]}]""");
        (await DropAsync(Server, db, "cpu")).ShouldHave(HttpStatusCode.NoContent, "");
        await Server.QueryShouldFailAsync(db, "select * from cpu", "Couldn't find series: cpu");
        await Server.ListSeriesShouldBeEmptyAsync(db);
        await Server.QueryShouldBeAsync(db, "select * from /.*/", "[]");
    }

    [Fact]
    public async Task DropSeries_RewritingStartsFromNothing()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"cpu","columns":["time","sequence_number","old"],"points":[[1000,1,1],[2000,1,2]]}]""");
        (await DropAsync(Server, db, "cpu")).Status.ShouldBe(HttpStatusCode.NoContent);
        await Server.WriteAsync(db, """[{"name":"cpu","columns":["time","sequence_number","new"],"points":[[3000,1,3]]}]""");
        await Server.QueryShouldBeAsync(db, "select * from cpu", """[{"name":"cpu","columns":["time","sequence_number","new"],"points":[[3000,1,3]]}]""");
        (await Server.TryQueryAsync(db, "select old from cpu")).ShouldHave(HttpStatusCode.BadRequest, "Field old doesn't exist in series cpu");
    }

    [Theory]
    [InlineData("existingdb", "nosuchseries")]
    [InlineData("nosuchdb", "cpu")]
    public async Task DropSeries_UnknownSeriesOrDatabaseIsStill204(string db, string series)
    {
        await Server.SendAsync(HttpMethod.Post, TestServer.Auth("/db"), """{"name":"existingdb"}""");
        (await DropAsync(Server, db, series)).ShouldHave(HttpStatusCode.NoContent, "");
    }

    [Fact]
    public async Task DropSeries_OnlyTouchesTheNamedDatabase()
    {
        var a = await fixture.NewDatabaseAsync();
        var b = await fixture.NewDatabaseAsync();
        const string Body = """[{"name":"cpu","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""";
        await Server.WriteAsync(a, Body);
        await Server.WriteAsync(b, Body);
        (await DropAsync(Server, a, "cpu")).Status.ShouldBe(HttpStatusCode.NoContent);
        await Server.QueryShouldBeAsync(b, "select * from cpu", Body);
    }

    // ── restart ───────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Restart_KeepsDatabasesSeriesAndPoints()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("keep");
        await server.CreateDatabaseAsync("dropped");
        await server.WriteAsync("keep", """[{"name":"cpu","columns":["time","sequence_number","z","a"],"points":[[1000,1,1.5,"x"],[2000,2,1000000.0,"y"]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1000,1,true]]},{"name":"gone","columns":["v"],"points":[[1]]}]""");
        await server.WriteAsync("keep", """[{"name":"cpu","columns":["time","sequence_number","a"],"points":[[1000,1,null]]}]""");
        (await DropAsync(server, "keep", "gone")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/dropped"))).Status.ShouldBe(HttpStatusCode.NoContent);

        var cpuBefore = await server.QueryTextAsync("keep", "select a, z from cpu");
        cpuBefore.ShouldBe("""[{"name":"cpu","columns":["time","sequence_number","a","z"],"points":[[2000,2,"y",1e+06],[1000,1,null,1.5]]}]""");

        await server.RestartAsync();

        (await server.FetchAsync(TestServer.Auth("/db"))).ShouldHave(HttpStatusCode.OK, """[{"name":"keep"}]""");
        (await server.QueryTextAsync("keep", "select a, z from cpu")).ShouldBe(cpuBefore);
        await server.QueryShouldBeAsync("keep", "select * from mem", """[{"name":"mem","columns":["time","sequence_number","w"],"points":[[1000,1,true]]}]""");
        await server.QueryShouldBeAsync("keep", "list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu"],[0,"mem"]]}]""");
        await server.QueryShouldFailAsync("keep", "select * from gone", "Couldn't find series: gone");
        (await server.TryWriteAsync("dropped", """[{"name":"a","columns":["v"],"points":[[1]]}]""")).ShouldHave(HttpStatusCode.BadRequest, "Database dropped doesn't exist");

        // Writes keep working after the restart and updates still address the recovered points.
        await server.WriteAsync("keep", """[{"name":"cpu","columns":["time","sequence_number","a"],"points":[[1000,1,"again"]]}]""");
        (await server.QueryTextAsync("keep", "select a, z from cpu")).ShouldBe("""[{"name":"cpu","columns":["time","sequence_number","a","z"],"points":[[2000,2,"y",1e+06],[1000,1,"again",1.5]]}]""");
    }

    [Fact]
    public async Task Restart_SequenceNumbersKeepIncreasing()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("d");
        await server.WriteAsync("d", """[{"name":"s","columns":["time","v"],"points":[[1000,1],[1000,2]]}]""");
        await server.RestartAsync();
        await server.WriteAsync("d", """[{"name":"s","columns":["time","v"],"points":[[1000,3]]}]""");

        var points = JsonDocument.Parse(await server.QueryTextAsync("d", "select v from s")).RootElement[0].GetProperty("points");
        points.GetArrayLength().ShouldBe(3);
        points[0][2].GetInt64().ShouldBe(3);
        points[1].GetRawText().ShouldBe("[1000,20001,2]");
        points[2].GetRawText().ShouldBe("[1000,10001,1]");
        var after = points[0][1].GetInt64();
        after.ShouldBeGreaterThan(20001);
        (after % 10000).ShouldBe(1);
    }

    [Fact]
    public async Task Restart_TwiceInARowKeepsData()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("d");
        const string Body = """[{"name":"s","columns":["time","sequence_number","v"],"points":[[1000,1,"a"],[-5000,1,"neg"]]}]""";
        await server.WriteAsync("d", Body);
        await server.RestartAsync();
        await server.RestartAsync();
        await server.QueryShouldBeAsync("d", "select v from s order asc", """[{"name":"s","columns":["time","sequence_number","v"],"points":[[-5000,1,"neg"],[1000,1,"a"]]}]""");
    }
}
