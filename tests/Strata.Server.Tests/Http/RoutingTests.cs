using System.Net;
using Strata.Server.Tests.Support;
using static Strata.Server.Tests.Http.HttpKit;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §1.2 (routing), §1.3 (common headers, CORS), §1.5 (content types), §4.1 (ping).</summary>
public sealed class RoutingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private static readonly (string Name, string Value)[] Cors =
    [
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Max-Age", "2592000"),
        ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE"),
        ("Access-Control-Allow-Headers", "Origin, X-Requested-With, Content-Type, Accept"),
    ];

    // ── ping ──────────────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Ping_AnswersStatusOkWithoutAuthentication()
    {
        var reply = await Server.FetchAsync("/ping");
        reply.ShouldHave(HttpStatusCode.OK, """{"status":"ok"}""");
        reply.ContentType.ShouldNotBeNull().ShouldStartWith("text/plain");
    }

    [Fact]
    public async Task Ping_HeadAnswers200WithoutBody()
    {
        var reply = await Server.SendAsync(HttpMethod.Head, "/ping");
        reply.ShouldHave(HttpStatusCode.OK, "");
    }

    [Fact]
    public async Task Head_RunsTheGetHandlerOfAnyGetRoute()
    {
        (await Server.SendAsync(HttpMethod.Head, TestServer.Auth("/db"))).ShouldHave(HttpStatusCode.OK, "");
        (await Server.SendAsync(HttpMethod.Head, "/db")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    // ── 404 / 405 ─────────────────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("GET", "/ping/")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/query?q=select")]
    [InlineData("POST", "/write")]
    [InlineData("GET", "/db/d/series/x/y")]
    [InlineData("GET", "/debug/pprof/")]
    [InlineData("GET", "/DB")]
    [InlineData("GET", "/db/d/Series")]
    public async Task Routing_UnknownPathIs404WithGoBodyAndNoCommonHeaders(string method, string path)
    {
        var reply = await Server.SendAsync(new HttpMethod(method), TestServer.Auth(path));
        reply.ShouldHave(HttpStatusCode.NotFound, "404 page not found\n");
        reply.ContentType.ShouldNotBeNull().ShouldStartWith("text/plain");
        reply.HasHeader("X-Influxdb-Version").ShouldBeFalse();
        reply.HasHeader("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Theory]
    [InlineData("PUT", "/db", "GET,HEAD,POST,OPTIONS")]
    [InlineData("DELETE", "/db", "GET,HEAD,POST,OPTIONS")]
    [InlineData("PUT", "/db/d/series", "GET,HEAD,POST,OPTIONS")]
    [InlineData("DELETE", "/db/d/series", "GET,HEAD,POST,OPTIONS")]
    [InlineData("POST", "/ping", "GET,HEAD,OPTIONS")]
    [InlineData("GET", "/db/", "DELETE,OPTIONS")]
    [InlineData("POST", "/db/d", "DELETE,OPTIONS")]
    [InlineData("GET", "/db/d", "DELETE,OPTIONS")]
    [InlineData("GET", "/db/d/series/s", "DELETE,OPTIONS")]
    [InlineData("POST", "/db/d/series/s", "DELETE,OPTIONS")]
    public async Task Routing_KnownPathWrongMethodIs405WithAllowHeader(string method, string path, string mustAllow)
    {
        var reply = await Server.SendAsync(new HttpMethod(method), TestServer.Auth(path));
        reply.ShouldHave(HttpStatusCode.MethodNotAllowed, "Method Not Allowed\n");
        reply.ContentType.ShouldNotBeNull().ShouldStartWith("text/plain");
        var allow = (reply.Header("Allow") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        allow.ShouldNotContain(method);
        foreach (var expected in mustAllow.Split(','))
        {
            allow.ShouldContain(expected);
        }

        reply.HasHeader("X-Influxdb-Version").ShouldBeFalse();
        reply.HasHeader("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Routing_PutDbAllowsExactlyGetHeadPostOptions()
    {
        var reply = await Server.SendAsync(HttpMethod.Put, "/db");
        reply.Status.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (reply.Header("Allow") ?? "").Split(", ").Order(StringComparer.Ordinal).ShouldBe(["GET", "HEAD", "OPTIONS", "POST"]);
    }

    [Fact]
    public async Task Routing_EscapedSlashInSeriesNameMatchesNoDropRoute()
    {
        var reply = await Server.SendAsync(HttpMethod.Delete, TestServer.Auth("/db/d/series/a%2Fb"));
        reply.Status.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Routing_ACaptureMayBeEmpty()
    {
        (await Server.FetchAsync(TestServer.Auth("/db//series?q=list+series"))).ShouldHave(HttpStatusCode.OK).ShouldBeJson(EmptyListSeries);
        (await Server.SendAsync(HttpMethod.Post, TestServer.Auth("/db//series"), """[{"name":"a","columns":["v"],"points":[[1]]}]"""))
            .ShouldHave(HttpStatusCode.BadRequest, "Database  doesn't exist");
    }

    // ── OPTIONS and common headers ────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("/ping")]
    [InlineData("/db")]
    [InlineData("/db/x")]
    [InlineData("/db/")]
    [InlineData("/db/x/series")]
    [InlineData("/db/x/series/y")]
    public async Task Options_Answers200EmptyWithCorsHeadersAndNoAuthentication(string path)
    {
        var reply = await Server.SendAsync(HttpMethod.Options, path, (string?)null, ("Origin", "http://example.com"), ("Access-Control-Request-Method", "POST"));
        reply.ShouldHave(HttpStatusCode.OK, "");
        ShouldCarryCommonHeaders(reply);
    }

    [Theory]
    [InlineData("GET", "/ping", null, 200)]
    [InlineData("HEAD", "/ping", null, 200)]
    [InlineData("GET", "/db?u=root&p=root", null, 200)]
    [InlineData("GET", "/db", null, 401)]
    [InlineData("GET", "/db?u=root&p=wrong", null, 401)]
    [InlineData("POST", "/db?u=root&p=root", "{", 400)]
    [InlineData("DELETE", "/db/nosuch?u=root&p=root", null, 400)]
    [InlineData("POST", "/db/x/series?time_precision=h", "[]", 400)]
    [InlineData("POST", "/db/nosuch/series?u=root&p=root", """[{"name":"a","columns":["v"],"points":[[1]]}]""", 400)]
    [InlineData("GET", "/db/x/series?u=root&p=root&q=select+*+from+nosuch", null, 400)]
    [InlineData("GET", "/db/x/series?u=root&p=root&q=list+series", null, 200)]
    [InlineData("DELETE", "/db/x/series/y?u=root&p=root", null, 204)]
    [InlineData("GET", "/db/x/series?q=list+series", null, 401)]
    public async Task CommonHeaders_OnEveryRegisteredRouteResponse(string method, string path, string? body, int status)
    {
        var reply = await Server.SendAsync(new HttpMethod(method), path, body);
        reply.Status.ShouldBe((HttpStatusCode)status, reply.Body);
        ShouldCarryCommonHeaders(reply);
    }

    private static void ShouldCarryCommonHeaders(Reply reply)
    {
        foreach (var (name, value) in Cors)
        {
            reply.Header(name).ShouldBe(value, $"header {name}");
        }

        var version = reply.Header("X-Influxdb-Version").ShouldNotBeNull().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        version.Length.ShouldBeGreaterThanOrEqualTo(3);
        version[0].ShouldBe("InfluxDB");
        version[1].ShouldStartWith("v0.8");
    }

    // ── content types ─────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task ContentType_JsonBodiesAreApplicationJsonWithoutCharset()
    {
        (await Server.FetchAsync(TestServer.Auth("/db"))).ContentType.ShouldBe("application/json");
        var db = await fixture.NewDatabaseAsync();
        (await Server.TryQueryAsync(db, "list series")).ContentType.ShouldBe("application/json");
    }

    [Fact]
    public async Task ContentType_HandlerErrorsAndEmptySuccessesAreTextPlainWithoutCharset()
    {
        var db = await fixture.NewDatabaseAsync();
        var error = await Server.TryWriteAsync(db, """[{"name":"a","columns":["v","v"],"points":[[1,2]]}]""");
        error.ShouldHave(HttpStatusCode.BadRequest, "Cannot have duplicate field names");
        error.ContentType.ShouldBe("text/plain");

        var written = await Server.TryWriteAsync(db, """[{"name":"a","columns":["v"],"points":[[1]]}]""");
        written.ShouldHave(HttpStatusCode.OK, "");
        written.ContentType.ShouldBe("text/plain");

        var queryError = await Server.TryQueryAsync(db, "select * from nosuch");
        queryError.ShouldHave(HttpStatusCode.BadRequest, "Couldn't find series: nosuch");
        queryError.ContentType.ShouldBe("text/plain");

        var unauthorized = await Server.FetchAsync("/db");
        unauthorized.Status.ShouldBe(HttpStatusCode.Unauthorized);
        unauthorized.ContentType.ShouldBe("text/plain");
    }

    // ── query-string parameters ───────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("/db?u=root&p=root&api_key=abc&force_local=true&time_precision=s&whatever=")]
    [InlineData("/db?u=root&p=root&p=wrong")]
    [InlineData("/db?u=root&u=nobody&p=root")]
    [InlineData("/db?p=root&u=root&pretty=yes")]
    public async Task QueryString_UnknownParametersAreIgnoredAndTheFirstValueWins(string path)
    {
        (await Server.FetchAsync(path)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task QueryString_UnknownParametersAreIgnoredOnWritesAndQueries()
    {
        var db = await fixture.NewDatabaseAsync();
        var written = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series?api_key=x&force_local=true&chunked=true"),
            """[{"name":"a","columns":["time","sequence_number","v"],"points":[[1000,1,5]]}]""");
        written.ShouldHave(HttpStatusCode.OK, "");
        var reply = await Server.FetchAsync(TestServer.Auth($"/db/{db}/series?q=select+v+from+a&api_key=x&force_local=true&time_precision=ms&time_precision=s"));
        reply.ShouldHave(HttpStatusCode.OK).ShouldBeJson("""[{"name":"a","columns":["time","sequence_number","v"],"points":[[1000,1,5]]}]""");
    }
}
