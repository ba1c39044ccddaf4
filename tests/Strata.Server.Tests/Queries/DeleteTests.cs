using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Queries;

/// <summary><c>delete from</c> over HTTP (query-language.md §11.1, query-examples.md D01–D06).</summary>
public class DeleteTests
{
    private const string Cpu = """[{"name": "cpu", "columns": ["time", "sequence_number", "value", "host"], "points": [[1399996800, 1, 10, "a"], [1399996815, 1, 20, "b"], [1399996830, 1, 30, "a"], [1399996865, 1, 5, "b"], [1399996870, 1, 15, "a"], [1399996990, 1, 40, "b"]]}]""";

    private static async Task<TestServer> StartWithCpuAsync()
    {
        var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        await server.WriteAsync("db1", Cpu, "s");
        return server;
    }

    private static string Compact(JsonElement element) =>
        JsonSerializer.Serialize(element, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public async Task Delete_RemovesATimeRangeWithInclusiveBounds()
    {
        await using var server = await StartWithCpuAsync();
        Compact(await server.QueryAsync("db1", "delete from cpu where time > 1399996815s and time < 1399996865s")).ShouldBe("[]");
        Compact(await server.QueryAsync("db1", "select value from cpu", "time_precision=s"))
            .ShouldBe("""[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996990,1,40],[1399996870,1,15],[1399996800,1,10]]}]""");
    }

    [Fact]
    public async Task Delete_EverythingKeepsTheSeriesNameAndSurvivesRestart()
    {
        await using var server = await StartWithCpuAsync();
        await server.QueryAsync("db1", "delete from cpu");
        Compact(await server.QueryAsync("db1", "select * from cpu")).ShouldBe("[]");
        await server.RestartAsync();
        Compact(await server.QueryAsync("db1", "select * from cpu")).ShouldBe("[]");
        Compact(await server.QueryAsync("db1", "list series")).ShouldBe("""[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu"]]}]""");
    }

    [Theory]
    [InlineData("delete from cpu where host = 'a'", "Delete queries can't have where clause that don't reference time")]
    [InlineData("delete from cpu where time = 1399996800s", "Delete queries can't have where clause that don't reference time")]
    [InlineData("delete from nosuch", "Couldn't find series: nosuch")]
    [InlineData("delete from cpu merge cpu", "Merge and Inner joins can't be used with a delete query: 1")]
    public async Task Delete_RefusesWithZeroPointsDeleted(string query, string message)
    {
        await using var server = await StartWithCpuAsync();
        var (status, body) = await server.QueryRawAsync("db1", query);
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBe(message);
        (await server.QueryAsync("db1", "select value from cpu"))[0].GetProperty("points").GetArrayLength().ShouldBe(6);
    }

    [Fact]
    public async Task Delete_ByRegexDeletesEveryMatchingSeries()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        await server.WriteAsync("db1", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996800,1,1]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996800,1,2]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""", "s");
        await server.QueryAsync("db1", @"delete from /^cpu\./");
        Compact(await server.QueryAsync("db1", "select * from /.*/", "time_precision=s"))
            .ShouldBe("""[{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""");
    }

    [Fact]
    public async Task Delete_DoesNotHidePointsWrittenLater()
    {
        await using var server = await StartWithCpuAsync();
        await server.QueryAsync("db1", "delete from cpu");
        await server.WriteAsync("db1", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996800,1,99]]}]""", "s");
        Compact(await server.QueryAsync("db1", "select value from cpu", "time_precision=s"))
            .ShouldBe("""[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996800,1,99]]}]""");
    }
}
