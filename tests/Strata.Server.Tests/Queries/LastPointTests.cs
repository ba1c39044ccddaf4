using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Queries;

/// <summary>
/// <c>select * from … limit 1</c> answered from the last-point cache stays exact through every kind of change:
/// newer points, overwrites of the newest key, new columns, nulls, deletes, drops, flushes and future points.
/// </summary>
public sealed class LastPointTests
{
    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private static async Task<string> Last(TestServer server, string query = "select * from s limit 1") =>
        Compact(await server.QueryAsync("db1", query, "time_precision=s"));

    private static Task Write(TestServer server, string columns, string points) =>
        server.WriteAsync("db1", $$"""[{"name":"s","columns":[{{columns}}],"points":[{{points}}]}]""", "s");

    private static string Row(string columns, string values) =>
        $$"""[{"name":"s","columns":["time","sequence_number",{{columns}}],"points":[[{{values}}]]}]""";

    [Fact]
    public async Task LastPoint_FollowsEveryChangeOfTheNewestRow()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        var served = () => Interlocked.Read(ref server.Host.Engine.Metrics.LastPointsServed);
        await Write(server, "\"time\",\"sequence_number\",\"a\"", "[100,1,1],[200,1,2]");
        (await Last(server)).ShouldBe(Row("\"a\"", "200,1,2"));
        var before = served();

        await Write(server, "\"time\",\"sequence_number\",\"a\"", "[300,1,3]");
        (await Last(server)).ShouldBe(Row("\"a\"", "300,1,3"), "a newer point replaces the row");
        served().ShouldBeGreaterThan(before, "the cache answered");

        await Write(server, "\"time\",\"sequence_number\",\"a\"", "[300,1,33]");
        (await Last(server)).ShouldBe(Row("\"a\"", "300,1,33"), "an overwrite of the newest key");

        await Write(server, "\"time\",\"sequence_number\",\"b\"", "[300,1,\"x\"]");
        (await Last(server)).ShouldBe(Row("\"a\",\"b\"", "300,1,33,\"x\""), "a new column at the newest key");

        await Write(server, "\"time\",\"sequence_number\",\"a\"", "[300,1,null]");
        (await Last(server)).ShouldBe(Row("\"a\",\"b\"", "300,1,null,\"x\""), "a null removes one column");

        await Write(server, "\"time\",\"sequence_number\",\"b\"", "[300,1,null]");
        (await Last(server)).ShouldBe(Row("\"a\",\"b\"", "200,1,2,null"), "all nulls: the row before is the newest");

        await Write(server, "\"time\",\"sequence_number\",\"a\"", "[250,1,5],[150,1,6]");
        (await Last(server)).ShouldBe(Row("\"a\",\"b\"", "250,1,5,null"), "an older batch with one newer point");

        server.Host.Engine.Flush();
        (await Last(server)).ShouldBe(Row("\"a\",\"b\"", "250,1,5,null"), "after a flush");

        await server.QueryAsync("db1", "delete from s where time > 240s");
        (await Last(server)).ShouldBe(Row("\"a\",\"b\"", "200,1,2,null"), "after deleting the newest points");

        (await Last(server, "select * from s where time < 149s limit 1")).ShouldBe(Row("\"a\",\"b\"", "100,1,1,null"), "a range that ends before the newest row");
        (await Last(server, "select * from s where time > 220s limit 1")).ShouldBe("[]", "a range that starts after it");

        var future = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Write(server, "\"time\",\"sequence_number\",\"a\"", $"[{future},1,9]");
        (await Last(server)).ShouldBe(Row("\"a\",\"b\"", "200,1,2,null"), "a future point is past the default end (now)");
        (await Last(server, $"select * from s where time < {future}s + 1s limit 1")).ShouldBe(Row("\"a\",\"b\"", $"{future},1,9,null"));

        await server.QueryAsync("db1", "drop series s");
        await Write(server, "\"time\",\"sequence_number\",\"c\"", "[50,1,7]");
        (await Last(server)).ShouldBe(Row("\"c\"", "50,1,7"), "a dropped and re-created series");

        await Write(server, "\"time\",\"sequence_number\",\"c\"", "[60,1,null]");
        (await Last(server)).ShouldBe(Row("\"c\"", "50,1,7"), "a newer key holding only nulls is no row");

        await Write(server, "\"time\",\"sequence_number\",\"c\",\"d\"", "[70,1,null,true]");
        (await Last(server)).ShouldBe(Row("\"c\",\"d\"", "70,1,null,true"), "a newer point's non-null values are the row");
    }
}
