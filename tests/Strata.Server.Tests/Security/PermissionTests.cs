using System.Net;
using System.Text;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Security;

/// <summary>readFrom/writeTo and admin-only statements (reference http-api.md §7, query-examples.md D08, §17).</summary>
public class PermissionTests
{
    private const string Multi = """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996800,1,1]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996800,1,2]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""";

    private static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        await server.WriteAsync("db1", Multi, "s");
        using var create = await server.PostAsync(TestServer.Auth("/db/db1/users"), """{"name":"r","password":"rpass1","readFrom":"^mem$","writeTo":"^mem$"}""");
        create.StatusCode.ShouldBe(HttpStatusCode.OK);
        return server;
    }

    private static async Task<(HttpStatusCode, string)> QueryAs(TestServer server, string query)
    {
        using var response = await server.GetAsync(TestServer.Auth($"/db/db1/series?q={Uri.EscapeDataString(query)}&time_precision=s", "r", "rpass1"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("select * from cpu.a", 403, "User doesn't have read access to cpu.a")]
    [InlineData("select * from mem", 200, """[{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""")]
    [InlineData("select * from /.*/", 200, """[{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""")]
    [InlineData("list series", 200, """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu.a"],[0,"cpu.b"],[0,"mem"]]}]""")]
    [InlineData("delete from mem", 403, "Insufficient permission to write to db1")]
    [InlineData("drop series mem", 403, "Insufficient permissions to drop series")]
    [InlineData("select * from mem into x", 403, "Insufficient permissions to create continuous query")]
    [InlineData("list continuous queries", 403, "Insufficient permissions to list continuous queries")]
    [InlineData("drop continuous query 1", 403, "Insufficient permissions to delete continuous query")]
    public async Task RestrictedUser_Queries(string query, int status, string body)
    {
        await using var server = await StartAsync();
        var (actualStatus, actualBody) = await QueryAs(server, query);
        ((int)actualStatus).ShouldBe(status);
        actualBody.ShouldBe(body);
    }

    [Fact]
    public async Task RestrictedUser_WriteOutsideWriteToIsRefusedAndWritesNothing()
    {
        await using var server = await StartAsync();
        using var response = await server.Client.PostAsync(
            TestServer.Auth("/db/db1/series", "r", "rpass1"),
            new StringContent("""[{"name":"mem","columns":["w"],"points":[[1]]},{"name":"cpu.a","columns":["v"],"points":[[5]]}]""", Encoding.UTF8));
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldBe("User r doesn't have write permissions for cpu.a");
        (await server.QueryAsync("db1", "select * from mem"))[0].GetProperty("points").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task RestrictedUser_DropSeriesRouteIsForbiddenAndDataStays()
    {
        await using var server = await StartAsync();
        using var response = await server.DeleteAsync(TestServer.Auth("/db/db1/series/mem", "r", "rpass1"));
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Insufficient permissions to drop series");
        (await server.QueryAsync("db1", "select * from mem"))[0].GetProperty("points").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task CatastrophicPermissionRegex_AnswersPromptly()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        var longName = new string('a', 5000) + "!";
        await server.WriteAsync("db1", $$"""[{"name":"{{longName}}","columns":["v"],"points":[[1]]}]""");
        using (var create = await server.PostAsync(TestServer.Auth("/db/db1/users"), """{"name":"evil","password":"evilpass","readFrom":"(a+)+$","writeTo":"(a+)+$"}"""))
        {
            create.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await server.GetAsync(TestServer.Auth($"/db/db1/series?q={Uri.EscapeDataString("select * from /a/")}", "evil", "evilpass"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "a backtracking regex engine would take far longer");
    }
}
