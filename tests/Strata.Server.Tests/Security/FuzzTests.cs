using System.Net;
using System.Text;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Security;

/// <summary>
/// Random and mutated bodies, queries and regexes: the server answers every one with a status below 500, keeps
/// answering, and the data stored before is intact.
/// </summary>
public class FuzzTests
{
    private const string Seed = """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996800,1,10,"a"],[1399996815,1,2.5,"b"]]}]""";

    private static readonly string[] Queries =
    [
        "select * from cpu", "select value from cpu where host = 'a' limit 1", "select * from /c.*/i order asc",
        "select value, host from cpu where time > now() - 1h and value > 3", "list series /cp/",
        "delete from cpu where time < '2000-01-01'", "select * from cpu where host =~ /^a$/ or value < 0",
        "select * from cpu where host in ('a', 'b')", "drop series nosuch", "list continuous queries",
    ];

    private const string Noise = "{}[]\",:0123456789.-eE tnfaul\\/()*'=~<>!;";

    private static string Mutate(Random random, string text)
    {
        var chars = new StringBuilder(text);
        var edits = random.Next(1, 5);
        for (var i = 0; i < edits && chars.Length > 0; i++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0:
                    chars.Remove(at, 1);
                    break;
                case 1:
                    chars.Insert(at, Noise[random.Next(Noise.Length)]);
                    break;
                case 2:
                    chars[at] = (char)random.Next(1, 0x80);
                    break;
                default:
                    chars.Insert(at, chars.ToString(at, Math.Min(8, chars.Length - at)));
                    break;
            }
        }

        return chars.ToString();
    }

    private static async Task SeedAsync(TestServer server)
    {
        await server.CreateDatabaseAsync("db1");
        await server.WriteAsync("db1", Seed, "s");
    }

    private static async Task DataIsIntactAsync(TestServer server)
    {
        var points = (await server.QueryAsync("db1", "select * from cpu where time < 1399996816s and time > 1399996799s"))[0].GetProperty("points");
        points.GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task MutatedWriteBodies_NeverAnswer5xx()
    {
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        var random = new Random(20261125);
        for (var i = 0; i < 1500; i++)
        {
            var body = i % 10 == 0 ? new string((char)random.Next(32, 127), random.Next(0, 40)) : Mutate(random, Seed.Replace("\"cpu\"", "\"fz\"", StringComparison.Ordinal));
            using var response = await server.PostAsync(TestServer.Auth("/db/db1/series?time_precision=s"), body);
            ((int)response.StatusCode).ShouldBeLessThan(500, $"body: {body}\nanswer: {await response.Content.ReadAsStringAsync()}");
        }

        await DataIsIntactAsync(server);
    }

    [Fact]
    public async Task MutatedAndRandomQueries_NeverAnswer5xx()
    {
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        var random = new Random(42);
        for (var i = 0; i < 1500; i++)
        {
            var query = i % 5 == 0
                ? new string((char)random.Next(1, 127), random.Next(0, 60))
                : Mutate(random, Queries[random.Next(Queries.Length)]).Replace("delete", "select", StringComparison.Ordinal).Replace("drop", "list", StringComparison.Ordinal);
            var (status, body) = await server.QueryRawAsync("db1", query);
            ((int)status).ShouldBeLessThan(500, $"query: {query}\nanswer: {body}");
        }

        await DataIsIntactAsync(server);
    }

    [Fact]
    public async Task RandomRegexes_InFromClausesAndPermissions_NeverAnswer5xxOrHang()
    {
        await using var server = await TestServer.StartAsync();
        await SeedAsync(server);
        var random = new Random(7);
        const string Alphabet = "a()[]{}*+?|^$.\\-,0123456789cpuw:!=<>";
        for (var i = 0; i < 300; i++)
        {
            var pattern = new string(Enumerable.Range(0, random.Next(1, 16)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            var escaped = pattern.Replace("/", "\\/", StringComparison.Ordinal);
            var (status, body) = await server.QueryRawAsync("db1", $"select * from /{escaped}/");
            ((int)status).ShouldBeLessThan(500, $"regex: {pattern}\nanswer: {body}");

            var user = $"u{i}";
            var json = System.Text.Json.JsonSerializer.Serialize(new { name = user, password = "fuzzpass", readFrom = pattern, writeTo = pattern });
            using var create = await server.PostAsync(TestServer.Auth("/db/db1/users"), json);
            ((int)create.StatusCode).ShouldBeLessThan(500);
            if (create.StatusCode == HttpStatusCode.OK)
            {
                using var read = await server.GetAsync(TestServer.Auth($"/db/db1/series?q={Uri.EscapeDataString("select * from /.*/")}", user, "fuzzpass"));
                ((int)read.StatusCode).ShouldBeLessThan(500, $"permission regex: {pattern}");
            }
        }

        await DataIsIntactAsync(server);
    }
}
