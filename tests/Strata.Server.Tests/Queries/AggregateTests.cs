using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Queries;

/// <summary>
/// Aggregates, group by, fill and arithmetic over HTTP beyond the conformance examples: argument errors, Strata's
/// fixes of 0.8.8's broken fills (query-language.md §13 items 30–34), calendar stepping, shards, joins.
/// </summary>
public sealed class AggregateTests
{
    private const string Cpu = """[{"name": "cpu", "columns": ["time", "sequence_number", "value", "host"], "points": [[1399996800, 1, 10, "a"], [1399996815, 1, 20, "b"], [1399996830, 1, 30, "a"], [1399996865, 1, 5, "b"], [1399996870, 1, 15, "a"], [1399996990, 1, 40, "b"]]}]""";

    private static async Task<TestServer> StartAsync(params string[] bodies)
    {
        var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        foreach (var body in bodies)
        {
            await server.WriteAsync("db1", body, "s");
        }

        return server;
    }

    private static string Compact(JsonElement element) =>
        JsonSerializer.Serialize(element, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static async Task Check(TestServer server, string query, string expected) =>
        Compact(await server.QueryAsync("db1", query, "time_precision=s")).ShouldBe(expected, query);

    [Theory]
    [InlineData("select count(value, host) from cpu", "function count() requires exactly one argument")]
    [InlineData("select count(1) from cpu", "Unknown function 1")]
    [InlineData("select count(cpu.value) from cpu", "Unknown function cpu.value")]
    [InlineData("select count(value + 1) from cpu", "Unknown function +")]
    [InlineData("select count(foo(value)) from cpu", "Unknown function foo")]
    [InlineData("select COUNT(value), Foo(value) from cpu", "Unknown function Foo")]
    [InlineData("select min(value, 1) from cpu", "function max() requires only one argument")]
    [InlineData("select sum() from cpu", "function max() requires only one argument")]
    [InlineData("select mean(value, 1) from cpu", "function mean() requires exactly one argument")]
    [InlineData("select median() from cpu", "function median() requires exactly one argument")]
    [InlineData("select stddev(*) from cpu", "function stddev() doesn't work with wildcards")]
    [InlineData("select derivative(*) from cpu", "function derivative() doesn't work with wildcards")]
    [InlineData("select difference(value, 2) from cpu", "function difference() requires exactly one argument")]
    [InlineData("select first(value, 2) from cpu", "function first() requires exactly one argument")]
    [InlineData("select percentile(value) from cpu", "function percentile() requires exactly two arguments")]
    [InlineData("select percentile(*, 95) from cpu", "wildcard cannot be used with percentile")]
    [InlineData("select percentile(value, 0) from cpu", "function percentile() requires a numeric second argument between 0 and 100")]
    [InlineData("select percentile(value, host) from cpu", "function percentile() requires a numeric second argument between 0 and 100")]
    [InlineData("select mode(value, 2) from cpu", "function mode() takes at most one arguments")]
    [InlineData("select histogram(*) from cpu", "function histogram() doesn't work with wildcards")]
    [InlineData("select histogram(value, 1, 2, 3, 4) from cpu", "function histogram() takes at most four arguments")]
    [InlineData("select histogram(value, 'x') from cpu", "Cannot parse x into a float")]
    [InlineData("select histogram(value, 0) from cpu", "function histogram() requires a bucket size greater than 0")]
    [InlineData("select histogram(value, 0.000001, 0, 100) from cpu", "function histogram() would return more than 1000000 buckets")]
    [InlineData("select top(value) from cpu", "function top() requires at exactly 2 arguments")]
    [InlineData("select bottom(value, 1.5) from cpu", "function bottom() second parameter expect int")]
    [InlineData("select bottom(value, -1) from cpu", "function bottom() second parameter must be > 0")]
    [InlineData("select mean(value) from cpu group by time(1m) fill(1.5)", "Unsupported fill value 1.5")]
    [InlineData("select mean(value) from cpu group by time(1m) fill('x')", "Unsupported fill value x")]
    [InlineData("select mean(value) from cpu group by time(foo)", "invalid argument foo to the time function")]
    [InlineData("select mean(value) from cpu group by time(0s)", "invalid argument 0s to the time function")]
    [InlineData("select mean(value) from cpu group by time(10) fill(0)", "fill() needs a group by time() interval of at least 1u")]
    [InlineData("select mean(value) from cpu where time > now() - 100w group by time(1s) fill(0)", "fill() would return more than 10000000 buckets; narrow the time range or widen the interval")]
    [InlineData("select mean(nosuch) from cpu", "Field nosuch doesn't exist in series cpu")]
    [InlineData("select count(value) from cpu group by nosuch", "Field nosuch doesn't exist in series cpu")]
    [InlineData("select host + 1 from cpu", "+ operator doesn't work with STRING types")]
    [InlineData("select count(value) + 1 from cpu", "Value cannot be evaluated for type count(value)")]
    public async Task Aggregate_RefusesBadArgumentsWith08Messages(string query, string message)
    {
        await using var server = await StartAsync(Cpu);
        var (status, body) = await server.QueryRawAsync("db1", query);
        status.ShouldBe(HttpStatusCode.BadRequest, query);
        body.ShouldBe(message, query);
    }

    [Theory]
    [InlineData("select count(value) from cpu where time > 1399996860s", """[{"name":"cpu","columns":["time","count"],"points":[[0,3]]}]""")]
    [InlineData("select count(value) as n, max(value) as hi from cpu group by host", """[{"name":"cpu","columns":["time","n","hi","host"],"points":[[0,3,30,"a"],[0,3,40,"b"]]}]""")]
    [InlineData("select mean(value * 2) from cpu", """[{"name":"cpu","columns":["time","mean"],"points":[[0,40]]}]""")]
    [InlineData("select sum(value) from cpu where value * 2 > 50", """[{"name":"cpu","columns":["time","sum"],"points":[[0,70]]}]""")]
    [InlineData("select top(value, 2), bottom(value, 2) from cpu", """[{"name":"cpu","columns":["time","top","bottom"],"points":[[0,40,5],[0,30,5],[0,40,10],[0,30,10]]}]""")]
    [InlineData("select distinct(host) from cpu", """[{"name":"cpu","columns":["time","distinct"],"points":[[0,"a"],[0,"b"]]}]""")]
    [InlineData("select count(value) from cpu group by time(1m) limit 1 order asc", """[{"name":"cpu","columns":["time","count"],"points":[[1399996800,3]]}]""")]
    [InlineData("select mean(*) from cpu", "[]")]
    [InlineData("select value, (value / 4.0) as q from cpu where host = 'b' limit 1", """[{"name":"cpu","columns":["time","sequence_number","value","q"],"points":[[1399996990,1,40,10]]}]""")]
    [InlineData("select 1 + 2 from cpu", "[]")]
    [InlineData("select count(value) from cpu group by host fill(0)", """[{"name":"cpu","columns":["time","count","host"],"points":[[0,3,"a"],[0,3,"b"]]}]""")]
    public async Task Aggregate_AnswersAsTheReferenceDescribes(string query, string expected)
    {
        await using var server = await StartAsync(Cpu);
        await Check(server, query, expected);
    }

    [Fact]
    public async Task Fill_CoversShardsOnceAndStepsByCalendarMonths()
    {
        // Points on 2014-01-31, 2014-03-15 and 2014-05-02: months of 28, 31 and 30 days, in different 7-day shards.
        await using var server = await StartAsync("""[{"name":"m","columns":["time","v"],"points":[[1391126400,1],[1394841600,2],[1398988800,3]]}]""");
        await Check(server, "select count(v) from m group by time(1M) fill(0) order asc",
            """[{"name":"m","columns":["time","count"],"points":[[1388534400,1],[1391212800,0],[1393632000,1],[1396310400,0],[1398902400,1]]}]""");
        await Check(server, "select count(v) from m group by time(1y)", """[{"name":"m","columns":["time","count"],"points":[[1388534400,3]]}]""");
    }

    [Fact]
    public async Task GroupBy_SevenDayBucketsAcrossShardBoundariesGiveOneRowEach()
    {
        // 2014-05-07 (Wednesday) and 2014-05-09 (Friday) straddle the Thursday shard boundary; both are in the bucket of Monday 2014-05-05.
        await using var server = await StartAsync("""[{"name":"d","columns":["time","v"],"points":[[1399464000,1],[1399636800,2]]}]""");
        await Check(server, "select count(v) from d group by time(7d)", """[{"name":"d","columns":["time","count"],"points":[[1399248000,2]]}]""");
        await Check(server, "select count(v) from d group by time(1d) fill(0) order asc",
            """[{"name":"d","columns":["time","count"],"points":[[1399420800,1],[1399507200,0],[1399593600,1]]}]""");
    }

    [Fact]
    public async Task Aggregate_OverJoinedColumnsAndMergedSeries()
    {
        await using var server = await StartAsync("""[{"name":"a","columns":["time","v"],"points":[[1399996800,1],[1399996820,3]]},{"name":"b","columns":["time","v"],"points":[[1399996810,10],[1399996830,30]]}]""");
        await Check(server, "select mean(a.v), max(b.v) from a inner join b", """[{"name":"a inner join b","columns":["time","mean","max"],"points":[[0,2,30]]}]""");
        await Check(server, "select sum(v) from merge(a, b) group by time(20s) order asc", """[{"name":"merged","columns":["time","sum"],"points":[[1399996800,11],[1399996820,33]]}]""");
        var (status, body) = await server.QueryRawAsync("db1", "select count(a.v) from a inner join b");
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldBe("Unknown function a.v");
    }

    [Fact]
    public async Task Aggregate_FoldsFlushedBlocksAndMatchesTheMemtableAnswer()
    {
        await using var server = await StartAsync(Cpu);
        const string query = "select count(value), sum(value), min(value), max(value), mean(value) from cpu";
        const string expected = """[{"name":"cpu","columns":["time","count","sum","min","max","mean"],"points":[[0,6,120,5,40,20]]}]""";
        await Check(server, query, expected);
        server.Host.Engine.Flush();
        var before = Interlocked.Read(ref server.Host.Engine.Metrics.BlocksFolded);
        await Check(server, query, expected);
        Interlocked.Read(ref server.Host.Engine.Metrics.BlocksFolded).ShouldBeGreaterThan(before);
    }
}
