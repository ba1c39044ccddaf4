using System.Net;
using System.Text;
using Strata.Server.Tests.Support;
using static Strata.Server.Tests.Http.HttpKit;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §1.4 (gzip/deflate responses on GET, gzip request bodies on writes) and the Strata body-size limit.</summary>
public sealed class CompressionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private const string Row = """[{"name":"z","columns":["time","sequence_number","v"],"points":[[1000,1,1.5]]}]""";

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("deflate", "deflate")]
    [InlineData("gzip,deflate", "gzip")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("deflate, gzip", "deflate")]
    [InlineData("deflate,gzip", "deflate")]
    [InlineData("br,gzip", "gzip")]
    [InlineData("br, gzip", null)]
    [InlineData("br, deflate", null)]
    [InlineData("gzip;q=1.0", null)]
    [InlineData("GZIP", null)]
    [InlineData("identity", null)]
    [InlineData("*", null)]
    [InlineData("x-gzip", null)]
    [InlineData("br,deflate, gzip", "deflate")]
    public async Task Get_CompressesByFirstExactToken(string acceptEncoding, string? expected)
    {
        var reply = await Server.SendAsync(HttpMethod.Get, "/ping", (string?)null, ("Accept-Encoding", acceptEncoding));
        reply.Status.ShouldBe(HttpStatusCode.OK);
        reply.Header("Content-Encoding").ShouldBe(expected);
        var body = expected switch
        {
            "gzip" => Gunzip(reply.Bytes),
            "deflate" => Unzlib(reply.Bytes),
            _ => reply.Body,
        };
        body.ShouldBe("""{"status":"ok"}""");
        reply.HasHeader("Vary").ShouldBeFalse();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Get_CompressesQueryResults(string encoding)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, Row);
        var reply = await Server.SendAsync(HttpMethod.Get, TestServer.Auth($"/db/{db}/series?q=select+*+from+z"), (string?)null, ("Accept-Encoding", encoding));
        reply.Status.ShouldBe(HttpStatusCode.OK);
        reply.Header("Content-Encoding").ShouldBe(encoding);
        reply.ContentType.ShouldBe("application/json");
        (encoding == "gzip" ? Gunzip(reply.Bytes) : Unzlib(reply.Bytes)).ShouldBeJson(Row);
    }

    [Fact]
    public async Task Get_CompressesErrorBodiesToo()
    {
        var reply = await Server.SendAsync(HttpMethod.Get, "/db", (string?)null, ("Accept-Encoding", "gzip"));
        reply.Status.ShouldBe(HttpStatusCode.Unauthorized);
        reply.Header("Content-Encoding").ShouldBe("gzip");
        reply.ContentType.ShouldBe("text/plain");
        Gunzip(reply.Bytes).ShouldBe("Invalid database/username/password");

        var query = await Server.SendAsync(HttpMethod.Get, TestServer.Auth("/db/anydb/series?q=select+*+from+nosuch"), (string?)null, ("Accept-Encoding", "gzip"));
        query.Status.ShouldBe(HttpStatusCode.BadRequest);
        query.Header("Content-Encoding").ShouldBe("gzip");
        Gunzip(query.Bytes).ShouldBe("Couldn't find series: nosuch");
    }

    [Fact]
    public async Task Get_EmptyBodyBecomesAnEmptyGzipStream()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, Row);
        var reply = await Server.SendAsync(HttpMethod.Get, TestServer.Auth($"/db/{db}/series?q=select+*+from+%2Fnomatch%2F&chunked=true"), (string?)null, ("Accept-Encoding", "gzip"));
        reply.Status.ShouldBe(HttpStatusCode.OK);
        reply.Header("Content-Encoding").ShouldBe("gzip");
        reply.Bytes.Length.ShouldBeGreaterThan(0);
        Gunzip(reply.Bytes).ShouldBe("");
    }

    [Theory]
    [InlineData("POST", "/db", """{"name":""}""", 400, "Unable to create database without name")]
    [InlineData("POST", "/db/anydb/series", """[{"name":"a","columns":["v","v"],"points":[[1,1]]}]""", 400, "Cannot have duplicate field names")]
    [InlineData("DELETE", "/db/nosuchdb", null, 400, "Database nosuchdb doesn't exist")]
    [InlineData("OPTIONS", "/db", null, 200, "")]
    public async Task NonGet_IsNeverCompressed(string method, string path, string? body, int status, string expected)
    {
        foreach (var encoding in new[] { "gzip", "deflate" })
        {
            var reply = await Server.SendAsync(new HttpMethod(method), TestServer.Auth(path), body, ("Accept-Encoding", encoding));
            reply.ShouldHave((HttpStatusCode)status, expected);
            reply.HasHeader("Content-Encoding").ShouldBeFalse();
        }
    }

    // ── request bodies ────────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Write_AcceptsGzipBody()
    {
        var db = await fixture.NewDatabaseAsync();
        var reply = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ByteArrayContent(Gzip(Row)), ("Content-Encoding", "gzip"));
        reply.ShouldHave(HttpStatusCode.OK, "");
        await Server.QueryShouldBeAsync(db, "select * from z", Row);
    }

    [Fact]
    public async Task Write_AcceptsGzipBodyWithChunkedTransferEncoding()
    {
        var db = await fixture.NewDatabaseAsync();
        var reply = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ChunkedContent(Gzip(Row)), ("Content-Encoding", "gzip"));
        reply.ShouldHave(HttpStatusCode.OK, "");
        await Server.QueryShouldBeAsync(db, "select * from z", Row);
    }

    [Fact]
    public async Task Write_OtherContentEncodingsAreReadAsPlainJson()
    {
        var db = await fixture.NewDatabaseAsync();
        var deflated = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ByteArrayContent(Zlib(Row)), ("Content-Encoding", "deflate"));
        deflated.ShouldHave(HttpStatusCode.BadRequest, "invalid character 'x' looking for beginning of value");

        var plain = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ByteArrayContent(Encoding.UTF8.GetBytes(Row)), ("Content-Encoding", "identity"));
        plain.ShouldHave(HttpStatusCode.OK, "");

        var upper = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ByteArrayContent(Gzip(Row)), ("Content-Encoding", "GZIP"));
        upper.Status.ShouldBe(HttpStatusCode.BadRequest);
        upper.Body.ShouldStartWith("invalid character ");
    }

    [Fact]
    public async Task Write_BadGzipHeaderIs500()
    {
        var db = await fixture.NewDatabaseAsync();
        var reply = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ByteArrayContent(Encoding.UTF8.GetBytes(Row)), ("Content-Encoding", "gzip"));
        reply.Status.ShouldBe(HttpStatusCode.InternalServerError);
        reply.Body.ShouldNotBeEmpty();
        await Server.ListSeriesShouldBeEmptyAsync(db);
    }

    [Fact]
    public async Task Write_TruncatedGzipStreamIs500()
    {
        var db = await fixture.NewDatabaseAsync();
        var gzip = Gzip(Row);
        var reply = await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ByteArrayContent(gzip[..(gzip.Length / 2)]), ("Content-Encoding", "gzip"));
        reply.Status.ShouldBe(HttpStatusCode.InternalServerError);
        reply.Body.ShouldNotBeEmpty();
        await Server.ListSeriesShouldBeEmptyAsync(db);
    }

    // ── body-size limit (Strata option MaxBodyBytes) ──────────────────────────────────────────

    private static string BodyOfSize(int size)
    {
        const string Head = "[{\"name\":\"big\",\"columns\":[\"time\",\"sequence_number\",\"s\"],\"points\":[[1000,1,\"";
        const string Tail = "\"]]}]";
        return Head + new string('a', size - Head.Length - Tail.Length) + Tail;
    }

    [Fact]
    public async Task Write_BodyOverTheLimitIs413AndBodyUnderItIsWritten()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxBodyBytes = 1024 });
        await server.CreateDatabaseAsync("d");

        var small = BodyOfSize(1000);
        Encoding.UTF8.GetByteCount(small).ShouldBe(1000);
        (await server.TryWriteAsync("d", small)).ShouldHave(HttpStatusCode.OK, "");

        var large = BodyOfSize(2048);
        var reply = await server.SendAsync(HttpMethod.Post, TestServer.Auth("/db/d/series"), new ByteArrayContent(Encoding.UTF8.GetBytes(large.Replace("\"big\"", "\"big2\"", StringComparison.Ordinal))));
        reply.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        var chunked = await server.SendAsync(HttpMethod.Post, TestServer.Auth("/db/d/series"), new ChunkedContent(Encoding.UTF8.GetBytes(large.Replace("\"big\"", "\"big3\"", StringComparison.Ordinal))));
        chunked.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        await server.QueryShouldBeAsync("d", "list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"big"]]}]""");
    }
}
