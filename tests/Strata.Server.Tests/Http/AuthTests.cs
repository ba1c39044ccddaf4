using System.Net;
using System.Text;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §2.1 (extracting credentials) and §2.2 (modes CA and DU→CA) with the root cluster admin.</summary>
public sealed class AuthTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private const string NoCredentials = "Invalid database/username/password";
    private const string BadCredentials = "Invalid username/password";

    private static string Basic(string userColonPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userColonPassword));

    // Each case runs against a CA route (GET /db) and a DU→CA route (a query).
    [Theory]
    [InlineData("u=root&p=root", null, 200, null)]
    [InlineData("u=root&p=wrong", null, 401, BadCredentials)]
    [InlineData("u=nobody&p=root", null, 401, BadCredentials)]
    [InlineData("u=ROOT&p=root", null, 401, BadCredentials)]
    [InlineData("", null, 401, NoCredentials)]
    [InlineData("u=root", null, 401, NoCredentials)]
    [InlineData("p=root", null, 401, NoCredentials)]
    [InlineData("u=root&p=", null, 401, NoCredentials)]
    [InlineData("", "Basic cm9vdDpyb290", 200, null)]
    [InlineData("", "Anything cm9vdDpyb290", 200, null)]
    [InlineData("", "Basic cm9vdDp3cm9uZw==", 401, BadCredentials)]
    [InlineData("u=root", "Basic cm9vdDpyb290", 200, null)]
    [InlineData("p=wrong", "Basic cm9vdDpyb290", 200, null)]
    [InlineData("u=root&p=root", "Basic cm9vdDp3cm9uZw==", 200, null)]
    [InlineData("u=root&p=wrong", "Basic cm9vdDpyb290", 401, BadCredentials)]
    [InlineData("u=root&p=root", "garbage", 200, null)]
    [InlineData("", "Basic", 400, "Bad auth header")]
    [InlineData("", "cm9vdDpyb290", 400, "Bad auth header")]
    [InlineData("", "Basic cm9vdDpyb290 extra", 400, "Bad auth header")]
    [InlineData("", "Basic  cm9vdDpyb290", 400, "Bad auth header")]
    [InlineData("", "Basic !!!!", 400, "Bad encoding")]
    [InlineData("", "Basic cm9vdDpyb290=", 400, "Bad encoding")]
    [InlineData("", "Basic cm9vdHJvb3Q=", 400, "Bad auth value")]
    [InlineData("", "Basic cm9vdDpyb290Ong=", 400, "Bad auth value")]
    [InlineData("u=root", "Basic", 400, "Bad auth header")]
    public async Task Auth_CredentialsFromUpOrBasicHeader(string query, string? authorization, int status, string? body)
    {
        string[] paths = ["/db", "/db/anydb/series?q=list+series"];
        foreach (var path in paths)
        {
            var url = path + (query.Length == 0 ? "" : (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
            var reply = authorization is null
                ? await Server.SendAsync(HttpMethod.Get, url)
                : await Server.SendAsync(HttpMethod.Get, url, (string?)null, ("Authorization", authorization));
            reply.Status.ShouldBe((HttpStatusCode)status, $"{url}: {reply.Body}");
            if (body is not null)
            {
                reply.Body.ShouldBe(body, url);
            }

            if (status == 401)
            {
                reply.Header("WWW-Authenticate").ShouldBe("Basic realm=\"influxdb\"", url);
                reply.ContentType.ShouldBe("text/plain", url);
            }
        }
    }

    [Fact]
    public async Task Auth_BasicHeaderBuiltByClientWorks()
    {
        var reply = await Server.SendAsync(HttpMethod.Get, "/db", (string?)null, ("Authorization", Basic("root:root")));
        reply.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Auth_PlusInPasswordIsASpace()
    {
        // p=ro+ot is form-decoded to "ro ot", which is not root's password.
        (await Server.FetchAsync("/db?u=root&p=ro+ot")).ShouldHave(HttpStatusCode.Unauthorized, BadCredentials);
        (await Server.FetchAsync("/db?u=root&p=%72oot")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("POST", "/db", """{"name":"zz"}""")]
    [InlineData("DELETE", "/db/zz", null)]
    [InlineData("POST", "/db/anydb/series", """[{"name":"a","columns":["v"],"points":[[1]]}]""")]
    [InlineData("DELETE", "/db/anydb/series/a", null)]
    public async Task Auth_EveryMilestoneRouteButPingRequiresCredentials(string method, string path, string? body)
    {
        var none = await Server.SendAsync(new HttpMethod(method), path, body);
        none.ShouldHave(HttpStatusCode.Unauthorized, NoCredentials);
        none.Header("WWW-Authenticate").ShouldBe("Basic realm=\"influxdb\"");

        var wrong = await Server.SendAsync(new HttpMethod(method), TestServer.Auth(path, "root", "nope"), body);
        wrong.ShouldHave(HttpStatusCode.Unauthorized, BadCredentials);
        wrong.Header("WWW-Authenticate").ShouldBe("Basic realm=\"influxdb\"");
    }

    [Fact]
    public async Task Auth_CreateDatabaseChecksCredentialsBeforeDecodingTheBody()
    {
        (await Server.SendAsync(HttpMethod.Post, "/db", "{")).ShouldHave(HttpStatusCode.Unauthorized, NoCredentials);
    }

    [Fact]
    public async Task Auth_RootAuthenticatesAgainstAMissingDatabase()
    {
        var write = await Server.TryWriteAsync("missingdb", """[{"name":"a","columns":["v"],"points":[[1]]}]""");
        write.ShouldHave(HttpStatusCode.BadRequest, "Database missingdb doesn't exist");
        (await Server.TryQueryAsync("missingdb", "select * from a")).ShouldHave(HttpStatusCode.BadRequest, "Couldn't find series: a");
        (await Server.TryQueryAsync("missingdb", "list series")).ShouldHave(HttpStatusCode.OK).ShouldBeJson(HttpKit.EmptyListSeries);
    }

    [Fact]
    public async Task Auth_QueryChecksTimePrecisionAfterAuthentication()
    {
        (await Server.FetchAsync("/db/anydb/series?q=list+series&time_precision=h&u=root&p=wrong")).ShouldHave(HttpStatusCode.Unauthorized, BadCredentials);
        (await Server.FetchAsync("/db/anydb/series?q=list+series&time_precision=h")).ShouldHave(HttpStatusCode.Unauthorized, NoCredentials);
        (await Server.FetchAsync("/db/anydb/series?q=list+series&time_precision=h&u=root&p=root")).ShouldHave(HttpStatusCode.BadRequest, "Unknown time precision h");
    }
}
