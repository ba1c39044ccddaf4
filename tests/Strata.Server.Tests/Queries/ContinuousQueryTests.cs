using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Queries;

/// <summary>Continuous queries over HTTP (query-language.md §10, query-examples.md C01–C05, C09, C10).</summary>
public class ContinuousQueryTests
{
    private static string Compact(JsonElement element) =>
        JsonSerializer.Serialize(element, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        return server;
    }

    [Fact]
    public async Task Create_AnswersEmptyAndListsTheNormalisedText()
    {
        await using var server = await StartAsync();
        Compact(await server.QueryAsync("db1", "select * from events into events.[page]")).ShouldBe("[]");
        Compact(await server.QueryAsync("db1", "list continuous queries"))
            .ShouldBe("""[{"name":"continuous queries","columns":["time","id","query"],"points":[[0,1,"select * from \"events\" into events.[page]"]]}]""");
    }

    [Fact]
    public async Task List_WithNoQueriesHasTheSequenceNumberColumn()
    {
        await using var server = await StartAsync();
        Compact(await server.QueryAsync("db1", "list continuous queries"))
            .ShouldBe("""[{"name":"continuous queries","columns":["time","sequence_number","id","query"],"points":[]}]""");
    }

    [Fact]
    public async Task Create_NormalisesTheStoredText()
    {
        await using var server = await StartAsync();
        await server.QueryAsync("db1", "select mean(value) as avg, max(value) from cpu where host = 'a' group by time(5m) fill(0) into cpu.a.5m backfill(false)");
        Compact(await server.QueryAsync("db1", "list continuous queries"))
            .ShouldBe("""[{"name":"continuous queries","columns":["time","id","query"],"points":[[0,1,"select mean(value) as avg,max(value) from \"cpu\" where host = 'a' group by time(5m) fill(0) into cpu.a.5m backfill(false)"]]}]""");
    }

    [Fact]
    public async Task FanOut_CopiesEachPointIntoTheSeriesNamedByAColumnValue()
    {
        await using var server = await StartAsync();
        await server.QueryAsync("db1", "select * from events into events.[page]");
        await server.WriteAsync("db1", """[{"name":"events","columns":["time","sequence_number","page","ms"],"points":[[1399996800,1,"home",12],[1399996801,1,"about",30],[1399996802,1,"home",7]]}]""", "s");
        Compact(await server.QueryAsync("db1", "select * from events.home", "time_precision=s"))
            .ShouldBe("""[{"name":"events.home","columns":["time","sequence_number","ms"],"points":[[1399996802,1,7],[1399996800,1,12]]}]""");
        Compact(await server.QueryAsync("db1", "list series"))
            .ShouldBe("""[{"name":"list_series_result","columns":["time","name"],"points":[[0,"events"],[0,"events.about"],[0,"events.home"]]}]""");
    }

    [Fact]
    public async Task FanOut_IgnoresTheSelectListAndWhereAndSurvivesRestart()
    {
        await using var server = await StartAsync();
        await server.QueryAsync("db1", "select ms from events where ms > 10 into copy.[page]");
        await server.RestartAsync();
        await server.WriteAsync("db1", """[{"name":"events","columns":["time","sequence_number","page","ms","user"],"points":[[1399996800,1,"home",12,"u1"],[1399996802,1,"home",7,"u3"]]}]""", "s");
        Compact(await server.QueryAsync("db1", "select * from copy.home", "time_precision=s"))
            .ShouldBe("""[{"name":"copy.home","columns":["time","sequence_number","ms","user"],"points":[[1399996802,1,7,"u3"],[1399996800,1,12,"u1"]]}]""");
    }

    [Theory]
    [InlineData("select * from cpu group by host into x", "Continuous queries with a group by clause must include time(...) as one of the elements")]
    [InlineData("select * from /.*/ into :series_name.x", "Continuous queries with :series_name interpolation must use a regular expression in the from clause that prevents recursion")]
    [InlineData(@"select * from /^stats\..*/ into :series_name.x", "Continuous queries with :series_name interpolation must use a regular expression in the from clause that prevents recursion")]
    [InlineData("select * from cpu into x backfill(maybe)", "`backfill` accepts only bool arguments")]
    [InlineData("select * from cpu into x refill(true)", "You can't use refill with into")]
    public async Task Create_RefusesInvalidQueries(string query, string message)
    {
        await using var server = await StartAsync();
        var (status, body) = await server.QueryRawAsync("db1", query);
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBe(message);
        Compact(await server.QueryAsync("db1", "list continuous queries")).ShouldContain("\"points\":[]");
    }

    [Fact]
    public async Task Drop_RemovesByIdAndIdsFollowTheLargest()
    {
        await using var server = await StartAsync();
        await server.QueryAsync("db1", "select * from a into b");
        await server.QueryAsync("db1", "select * from c into d");
        Compact(await server.QueryAsync("db1", "drop continuous query 1")).ShouldBe("[]");
        Compact(await server.QueryAsync("db1", "list continuous queries"))
            .ShouldBe("""[{"name":"continuous queries","columns":["time","id","query"],"points":[[0,2,"select * from \"c\" into d"]]}]""");
        await server.QueryAsync("db1", "select * from e into f");
        Compact(await server.QueryAsync("db1", "list continuous queries")).ShouldContain("""[0,3,"select * from \"e\" into f"]""");
        Compact(await server.QueryAsync("db1", "drop continuous query 42")).ShouldBe("[]");
    }

    [Fact]
    public async Task DropDatabase_DropsItsContinuousQueries()
    {
        await using var server = await StartAsync();
        await server.QueryAsync("db1", "select * from a into b");
        using (await server.DeleteAsync(TestServer.Auth("/db/db1")))
        {
        }

        await server.CreateDatabaseAsync("db1");
        Compact(await server.QueryAsync("db1", "list continuous queries")).ShouldContain("\"points\":[]");
    }
}
