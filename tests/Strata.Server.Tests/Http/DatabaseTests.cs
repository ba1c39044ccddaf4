using System.Net;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §4.5 (GET /db), §4.6 (POST /db), §4.7 (DELETE /db/:name), §1.6 body decoding.</summary>
public sealed class DatabaseTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private static Task<Reply> CreateAsync(TestServer server, string body) => server.SendAsync(HttpMethod.Post, TestServer.Auth("/db"), body);

    [Theory]
    [InlineData("", "EOF")]
    [InlineData("  \n", "EOF")]
    [InlineData("{", "unexpected EOF")]
    [InlineData("""{"name":"x""", "unexpected EOF")]
    [InlineData("x", "invalid character 'x' looking for beginning of value")]
    [InlineData("""{"name":"x",}""", "invalid character '}' looking for beginning of object key string")]
    [InlineData("""{"name":1}""", "json: cannot unmarshal number into Go value of type string")]
    [InlineData("""{"name":true}""", "json: cannot unmarshal bool into Go value of type string")]
    [InlineData("""{"name":["a"]}""", "json: cannot unmarshal array into Go value of type string")]
    [InlineData("""{"name":""}""", "Unable to create database without name")]
    [InlineData("""{"name":"  "}""", "Unable to create database without name")]
    [InlineData("""{"name":null}""", "Unable to create database without name")]
    [InlineData("{}", "Unable to create database without name")]
    [InlineData("null", "Unable to create database without name")]
    [InlineData("""{"nam":"x"}""", "Unable to create database without name")]
    [InlineData("""{"name":"a%b"}""", "a%b isn't a valid db name")]
    [InlineData("""{"name":"%"}""", "% isn't a valid db name")]
    [InlineData("""{"name":" a%b "}""", " a%b  isn't a valid db name")]
    public async Task CreateDatabase_RejectsBadBodiesAndNames(string body, string expected)
    {
        (await CreateAsync(Server, body)).ShouldHave(HttpStatusCode.BadRequest, expected);
    }

    [Theory]
    [InlineData("""{"name":"created1"}""", "created1")]
    [InlineData("""{"NAME":"created2"}""", "created2")]
    [InlineData("""{"Name":"created3","replicationFactor":3,"apiKey":"k"}""", "created3")]
    [InlineData("""{"name":"ignored","name":"created4"}""", "created4")]
    [InlineData("""{"name":"created5"} trailing garbage""", "created5")]
    [InlineData("""{"name":"with space"}""", "with space")]
    [InlineData("""{"name":"dots.and-dashes_ü"}""", "dots.and-dashes_ü")]
    public async Task CreateDatabase_Answers201AndThe409ForADuplicate(string body, string name)
    {
        var created = await CreateAsync(Server, body);
        created.ShouldHave(HttpStatusCode.Created, "");
        created.ContentType.ShouldBe("text/plain");
        (await CreateAsync(Server, body)).ShouldHave(HttpStatusCode.Conflict, $"database {name} exists");
        var list = (await Server.FetchAsync(TestServer.Auth("/db"))).ShouldHave(HttpStatusCode.OK);
        list.ShouldContain(System.Text.Json.JsonSerializer.Serialize(new { name }, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task CreateDatabase_NamesAreCaseSensitive()
    {
        (await CreateAsync(Server, """{"name":"CaseDb"}""")).Status.ShouldBe(HttpStatusCode.Created);
        (await CreateAsync(Server, """{"name":"casedb"}""")).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ListDatabases_IsEmptyOnAFreshServerThenSortedByName()
    {
        await using var server = await TestServer.StartAsync();
        var empty = await server.FetchAsync(TestServer.Auth("/db"));
        empty.ShouldHave(HttpStatusCode.OK, "[]");
        empty.ContentType.ShouldBe("application/json");

        foreach (var name in new[] { "b", "a", "C", "_x", "a b" })
        {
            await server.CreateDatabaseAsync(name);
        }

        (await server.FetchAsync(TestServer.Auth("/db"))).ShouldHave(HttpStatusCode.OK,
            """[{"name":"C"},{"name":"_x"},{"name":"a"},{"name":"a b"},{"name":"b"}]""");
        (await server.FetchAsync(TestServer.Auth("/db?pretty=true"))).ShouldHave(HttpStatusCode.OK,
            "[\n    {\n        \"name\": \"C\"\n    },\n    {\n        \"name\": \"_x\"\n    },\n    {\n        \"name\": \"a\"\n    },\n    {\n        \"name\": \"a b\"\n    },\n    {\n        \"name\": \"b\"\n    }\n]");
    }

    [Fact]
    public async Task DropDatabase_Answers204ThenTheNameIsGone()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("keep");
        await server.CreateDatabaseAsync("gone");
        var dropped = await server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/gone"));
        dropped.ShouldHave(HttpStatusCode.NoContent, "");
        (await server.FetchAsync(TestServer.Auth("/db"))).ShouldHave(HttpStatusCode.OK, """[{"name":"keep"}]""");
        (await server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/gone"))).ShouldHave(HttpStatusCode.BadRequest, "Database gone doesn't exist");
        (await server.TryWriteAsync("gone", """[{"name":"a","columns":["v"],"points":[[1]]}]""")).ShouldHave(HttpStatusCode.BadRequest, "Database gone doesn't exist");
    }

    [Theory]
    [InlineData("nosuch", "Database nosuch doesn't exist")]
    [InlineData("no%20such", "Database no such doesn't exist")]
    [InlineData("", "Database  doesn't exist")]
    public async Task DropDatabase_UnknownIs400(string pathName, string expected)
    {
        (await Server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/" + pathName))).ShouldHave(HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public async Task DropDatabase_DecodesTheNameInThePath()
    {
        await Server.CreateDatabaseAsync("drop me");
        (await Server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/drop%20me"))).ShouldHave(HttpStatusCode.NoContent, "");
        (await Server.FetchAsync(TestServer.Auth("/db"))).Body.ShouldNotContain("drop me");
    }

    [Fact]
    public async Task DropDatabase_ThenRecreateStartsEmpty()
    {
        await Server.CreateDatabaseAsync("again");
        await Server.WriteAsync("again", """[{"name":"cpu","columns":["v"],"points":[[1]]},{"name":"mem","columns":["w"],"points":[[2]]}]""");
        (await Server.TryQueryAsync("again", "select * from cpu")).Status.ShouldBe(HttpStatusCode.OK);

        (await Server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/again"))).ShouldHave(HttpStatusCode.NoContent, "");
        await Server.CreateDatabaseAsync("again");

        await Server.QueryShouldFailAsync("again", "select * from cpu", "Couldn't find series: cpu");
        await Server.QueryShouldFailAsync("again", "select * from mem", "Couldn't find series: mem");
        await Server.ListSeriesShouldBeEmptyAsync("again");

        // A new write after the re-creation sees only its own data and a fresh column set.
        await Server.WriteAsync("again", """[{"name":"cpu","columns":["time","sequence_number","x"],"points":[[5000,1,"new"]]}]""");
        await Server.QueryShouldBeAsync("again", "select * from cpu", """[{"name":"cpu","columns":["time","sequence_number","x"],"points":[[5000,1,"new"]]}]""");
    }

    [Fact]
    public async Task DropDatabase_LeavesOtherDatabasesAlone()
    {
        var a = await fixture.NewDatabaseAsync();
        var b = await fixture.NewDatabaseAsync();
        const string Body = """[{"name":"cpu","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""";
        await Server.WriteAsync(a, Body);
        await Server.WriteAsync(b, Body);
        (await Server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/" + a))).Status.ShouldBe(HttpStatusCode.NoContent);
        await Server.QueryShouldBeAsync(b, "select * from cpu", Body);
    }
}
