using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Server.Tests.Support;
using static Strata.Server.Tests.Http.HttpKit;

namespace Strata.Server.Tests.Http;

/// <summary>
/// http-api.md §4.2 and §6 (response shape, column order, point and series order, time values, errors) for raw selects,
/// with the datasets and expectations of query-examples.md (CPU, MULTI).
/// </summary>
public sealed partial class QueryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private const long T0 = 1399996800; // 2014-05-13 16:00:00 UTC

    private const string CpuData = """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996800,1,10,"a"],[1399996815,1,20,"b"],[1399996830,1,30,"a"],[1399996865,1,5,"b"],[1399996870,1,15,"a"],[1399996990,1,40,"b"]]}]""";

    private const string MultiData = """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996800,1,1],[1399996810,1,2]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""";

    private static readonly Dictionary<int, int> CpuValueAt = new() { [0] = 10, [15] = 20, [30] = 30, [65] = 5, [70] = 15, [190] = 40 };

    private async Task<string> DatabaseWithAsync(string body)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, body, "s");
        return db;
    }

    /// <summary>The expected `select value from cpu` answer holding the points at these offsets from T0, in this order.</summary>
    private static string CpuValues(int[] offsets) => offsets.Length == 0
        ? "[]"
        : """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[""" +
          string.Join(",", offsets.Select(o => $"[{T0 + o},1,{CpuValueAt[o]}]")) + "]}]";

    // ── shape and order (§6.1–§6.3) ───────────────────────────────────────────────────────────

    [Fact]
    public async Task Query_SelectStarReturnsTimeAndSequenceNumberFirstNewestFirst()
    {
        var db = await DatabaseWithAsync(CpuData);
        var body = await Server.QueryTextAsync(db, "select * from cpu", "time_precision=s");
        body.ShouldBeJsonIgnoringColumnOrder("""[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996990,1,40,"b"],[1399996870,1,15,"a"],[1399996865,1,5,"b"],[1399996830,1,30,"a"],[1399996815,1,20,"b"],[1399996800,1,10,"a"]]}]""");
        var columns = JsonDocument.Parse(body).RootElement[0].GetProperty("columns");
        columns[0].GetString().ShouldBe("time");
        columns[1].GetString().ShouldBe("sequence_number");
        body.ShouldStartWith("""[{"name":"cpu","columns":[""");
        body.ShouldContain("""],"points":[[""");
    }

    [Theory]
    [InlineData("select value from cpu order asc limit 2", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996800,1,10],[1399996815,1,20]]}]""")]
    [InlineData("select value from cpu limit 2 order asc", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996800,1,10],[1399996815,1,20]]}]""")]
    [InlineData("select value from cpu order desc limit 2", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996990,1,40],[1399996870,1,15]]}]""")]
    [InlineData("select value from cpu limit 1", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996990,1,40]]}]""")]
    [InlineData("select value from cpu limit 100", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996990,1,40],[1399996870,1,15],[1399996865,1,5],[1399996830,1,30],[1399996815,1,20],[1399996800,1,10]]}]""")]
    [InlineData("select value from cpu limit 0", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996990,1,40],[1399996870,1,15],[1399996865,1,5],[1399996830,1,30],[1399996815,1,20],[1399996800,1,10]]}]""")]
    [InlineData("select value, host from cpu where value >= 20", """[{"name":"cpu","columns":["time","sequence_number","host","value"],"points":[[1399996990,1,"b",40],[1399996830,1,"a",30],[1399996815,1,"b",20]]}]""")]
    [InlineData("select host, value from cpu where value >= 20", """[{"name":"cpu","columns":["time","sequence_number","host","value"],"points":[[1399996990,1,"b",40],[1399996830,1,"a",30],[1399996815,1,"b",20]]}]""")]
    [InlineData("select host from cpu where value > 20", """[{"name":"cpu","columns":["time","sequence_number","host"],"points":[[1399996990,1,"b"],[1399996830,1,"a"]]}]""")]
    [InlineData("select value from cpu where host = 'a' limit 1 order asc", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996800,1,10]]}]""")]
    [InlineData("SELECT value FROM cpu WHERE host = 'a' LIMIT 1 ORDER ASC", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996800,1,10]]}]""")]
    [InlineData("select value from \"cpu\" limit 1", """[{"name":"cpu","columns":["time","sequence_number","value"],"points":[[1399996990,1,40]]}]""")]
    public async Task Query_RawSelects(string query, string expected)
    {
        var db = await DatabaseWithAsync(CpuData);
        await Server.QueryShouldBeAsync(db, query, expected, "time_precision=s");
    }

    [Theory]
    [InlineData("select * from cpu where host = 'a' limit 1 order asc", """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996800,1,10,"a"]]}]""")]
    [InlineData("select * from cpu where (host = 'a' and value > 10) or value = 5", """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996870,1,15,"a"],[1399996865,1,5,"b"],[1399996830,1,30,"a"]]}]""")]
    [InlineData("select * from cpu where time > 1399996815s and time < 1399996865s", """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1399996865,1,5,"b"],[1399996830,1,30,"a"],[1399996815,1,20,"b"]]}]""")]
    public async Task Query_SelectStarWithConditions(string query, string expected)
    {
        var db = await DatabaseWithAsync(CpuData);
        await Server.StarQueryShouldBeAsync(db, query, expected, "time_precision=s");
    }

    // ── where: value and time conditions ──────────────────────────────────────────────────────

    [Theory]
    [InlineData("value > 15", 190, 30, 15)]
    [InlineData("value >= 15", 190, 70, 30, 15)]
    [InlineData("value < 15", 65, 0)]
    [InlineData("value <= 15", 70, 65, 0)]
    [InlineData("value = 15", 70)]
    [InlineData("value <> 15", 190, 65, 30, 15, 0)]
    [InlineData("value > 10.5", 190, 70, 30, 15)]
    [InlineData("value = 15.0", 70)]
    [InlineData("value > -1", 190, 70, 65, 30, 15, 0)]
    [InlineData("value > 100")]
    [InlineData("15 < value", 190, 30, 15)]
    [InlineData("host = 'a'", 70, 30, 0)]
    [InlineData("host <> 'a'", 190, 65, 15)]
    [InlineData("host = 'c'")]
    [InlineData("host = 'A'")]
    [InlineData("host > 'a'", 190, 65, 15)]
    [InlineData("host =~ /b/", 190, 65, 15)]
    [InlineData("host =~ /^A$/i", 70, 30, 0)]
    [InlineData("host !~ /b/", 70, 30, 0)]
    [InlineData("host =~ /x/")]
    [InlineData("value =~ /1/")]
    [InlineData("value = 'x'")]
    [InlineData("value > 10 and host = 'a'", 70, 30)]
    [InlineData("value > 30 or host = 'a'", 190, 70, 30, 0)]
    [InlineData("(value > 30 or host = 'a') and value < 20", 70, 0)]
    [InlineData("value > 15 and time > 1399996830s", 190, 30)]
    [InlineData("time > 1399996830s", 190, 70, 65, 30)]
    [InlineData("time < 1399996830s", 30, 15, 0)]
    [InlineData("time > 1399996815s and time < 1399996865s", 65, 30, 15)]
    [InlineData("time < 1399996865s and time > 1399996815s", 65, 30, 15)]
    [InlineData("time > '2014-05-13 16:00:15' and time < '2014-05-13 16:01:05'", 65, 30, 15)]
    [InlineData("time > 1399996815000000000 and time < 1399996865000000000", 65, 30, 15)]
    [InlineData("time > 1399996815000ms and time < 1399996865000000u", 65, 30, 15)]
    [InlineData("time < '2014-05-13 16:00:30'", 30, 15, 0)]
    [InlineData("time > '2014-05-13 16:01:00.5'", 190, 70, 65)]
    [InlineData("time > '2014-05-13 16:00:00' + 65s", 190, 70, 65)]
    [InlineData("time > 1399996800s + 1m", 190, 70, 65)]
    [InlineData("time > '2015-01-01'")]
    [InlineData("time > now() - 1h")]
    [InlineData("time < now()", 190, 70, 65, 30, 15, 0)]
    [InlineData("time > 1399996815s and host = 'b'", 190, 65, 15)]
    [InlineData("host = 'b' and time < 1399996865s", 65, 15)]
    public async Task Query_WhereFiltersPoints(string condition, params int[] offsets)
    {
        var db = await DatabaseWithAsync(CpuData);
        await Server.QueryShouldBeAsync(db, "select value from cpu where " + condition, CpuValues(offsets), "time_precision=s");
    }

    [Fact]
    public async Task Query_EqualTimesOrderByDescendingSequenceNumberAndOrderAscReversesBoth()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"e","columns":["time","sequence_number","v"],"points":[[1000,1,"a"],[1000,3,"c"],[2000,1,"d"],[1000,2,"b"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from e", """[{"name":"e","columns":["time","sequence_number","v"],"points":[[2000,1,"d"],[1000,3,"c"],[1000,2,"b"],[1000,1,"a"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from e order asc", """[{"name":"e","columns":["time","sequence_number","v"],"points":[[1000,1,"a"],[1000,2,"b"],[1000,3,"c"],[2000,1,"d"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from e limit 2", """[{"name":"e","columns":["time","sequence_number","v"],"points":[[2000,1,"d"],[1000,3,"c"]]}]""");
    }

    [Fact]
    public async Task Query_FuturePointsAreInvisibleWithoutAnExplicitUpperBound()
    {
        var db = await fixture.NewDatabaseAsync();
        var now = NowMillis();
        long past = now - 60_000, future = now + 3_600_000;
        await Server.WriteAsync(db, $$"""[{"name":"f","columns":["time","sequence_number","v"],"points":[[{{past}},1,"past"],[{{future}},1,"future"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from f", $$"""[{"name":"f","columns":["time","sequence_number","v"],"points":[[{{past}},1,"past"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from f where time < now() + 2h", $$"""[{"name":"f","columns":["time","sequence_number","v"],"points":[[{{future}},1,"future"],[{{past}},1,"past"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from f where time > now() + 30m and time < now() + 2h", $$"""[{"name":"f","columns":["time","sequence_number","v"],"points":[[{{future}},1,"future"]]}]""");
    }

    [Fact]
    public async Task Query_NowMinusOneHourSeesOnlyRecentPoints()
    {
        var db = await fixture.NewDatabaseAsync();
        var now = NowMillis();
        long old = now - 7_200_000, recent = now - 600_000;
        await Server.WriteAsync(db, $$"""[{"name":"r","columns":["time","sequence_number","v"],"points":[[{{old}},1,1],[{{recent}},1,2]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from r where time > now() - 1h", $$"""[{"name":"r","columns":["time","sequence_number","v"],"points":[[{{recent}},1,2]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from r where time > now() - 3h", $$"""[{"name":"r","columns":["time","sequence_number","v"],"points":[[{{recent}},1,2],[{{old}},1,1]]}]""");
    }

    // ── several series (§6.3) and list series (§6.7) ──────────────────────────────────────────

    [Theory]
    [InlineData("select * from /^cpu/", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996810,1,2],[1399996800,1,1]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]}]""")]
    [InlineData("select * from /^CPU/i limit 1", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996810,1,2]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]}]""")]
    [InlineData("select * from /.*/ limit 1", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996810,1,2]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""")]
    [InlineData("select * from /b$|mem/", """[{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""")]
    [InlineData("select * from /\\./", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996810,1,2],[1399996800,1,1]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]}]""")]
    [InlineData("select * from /nomatch/", "[]")]
    [InlineData("select * from cpu.a, mem", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996810,1,2],[1399996800,1,1]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""")]
    [InlineData("select * from mem, cpu.b, cpu.a", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996810,1,2],[1399996800,1,1]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""")]
    [InlineData("select * from mem, \"cpu.b\" limit 1", """[{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""")]
    [InlineData("select v from /^cpu/ where v > 1", """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996810,1,2]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]}]""")]
    [InlineData("list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu.a"],[0,"cpu.b"],[0,"mem"]]}]""")]
    [InlineData("list series /^cpu\\./", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu.a"],[0,"cpu.b"]]}]""")]
    [InlineData("list series /M/i", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"mem"]]}]""")]
    [InlineData("list series /M/", EmptyListSeries)]
    [InlineData("LIST SERIES", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"cpu.a"],[0,"cpu.b"],[0,"mem"]]}]""")]
    public async Task Query_SeveralSeriesAreSortedByName(string query, string expected)
    {
        var db = await DatabaseWithAsync(MultiData);
        await Server.QueryShouldBeAsync(db, query, expected, "time_precision=s");
    }

    [Fact]
    public async Task Query_ListSeriesOnAnEmptyDatabaseHasTheSequenceNumberColumn()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.QueryShouldBeAsync(db, "list series", EmptyListSeries);
    }

    [Fact]
    public async Task Query_ListSeriesIsSortedByteWise()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"b","columns":["v"],"points":[[1]]},{"name":"B","columns":["v"],"points":[[1]]},{"name":"a.b","columns":["v"],"points":[[1]]},{"name":"a","columns":["v"],"points":[[1]]},{"name":"_","columns":["v"],"points":[[1]]}]""");
        await Server.QueryShouldBeAsync(db, "list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"B"],[0,"_"],[0,"a"],[0,"a.b"],[0,"b"]]}]""");
    }

    // ── time precision of the output (§6.4) ───────────────────────────────────────────────────

    [Theory]
    [InlineData("time_precision=u", 1400000000123456, 1234567, -1500)]
    [InlineData("time_precision=ms", 1400000000123, 1234, -1)]
    [InlineData("time_precision=m", 1400000000123, 1234, -1)]
    [InlineData("time_precision=", 1400000000123, 1234, -1)]
    [InlineData(null, 1400000000123, 1234, -1)]
    [InlineData("time_precision=s", 1400000000, 1, 0)]
    public async Task Query_TimePrecisionConvertsOutputTruncatingTowardZero(string? extra, long t1, long t2, long t3)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"tp","columns":["time","sequence_number","v"],"points":[[1400000000123456,1,1],[1234567,1,2],[-1500,1,3]]}]""", "u");
        await Server.QueryShouldBeAsync(db, "select v from tp", $$"""[{"name":"tp","columns":["time","sequence_number","v"],"points":[[{{t1}},1,1],[{{t2}},1,2],[{{t3}},1,3]]}]""", extra);
    }

    [Theory]
    [InlineData("h")]
    [InlineData("x")]
    [InlineData("us")]
    [InlineData("S")]
    public async Task Query_RejectsUnknownTimePrecision(string precision)
    {
        var db = await DatabaseWithAsync(CpuData);
        (await Server.TryQueryAsync(db, "select * from cpu", "time_precision=" + precision)).ShouldHave(HttpStatusCode.BadRequest, $"Unknown time precision {precision}");
    }

    // ── errors (§6.9) ─────────────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("select * from nosuch", "Couldn't find series: nosuch")]
    [InlineData("select * from cpu, nosuch", "Couldn't find series: nosuch")]
    [InlineData("select * from \"Cpu\"", "Couldn't find series: Cpu")]
    [InlineData("select nosuch from cpu", "Field nosuch doesn't exist in series cpu")]
    [InlineData("select * from cpu where time > '2014-05-13T16:00:00Z'", "2014-05-13T16:00:00Z isn't a valid time string")]
    [InlineData("select * from cpu where time >= 1399996815s", "Cannot use time with '>='")]
    [InlineData("select * from cpu where time > 1399996815s or value > 1", "Invalid where clause, time must appear twice to specify start and end time")]
    public async Task Query_ErrorsAre400WithTheMessage(string query, string expected)
    {
        var db = await DatabaseWithAsync(CpuData);
        var reply = await Server.TryQueryAsync(db, query);
        reply.ShouldHave(HttpStatusCode.BadRequest, expected);
        reply.ContentType.ShouldBe("text/plain");
    }

    [Fact]
    public async Task Query_SelectOnAMissingDatabaseIsCouldNotFindSeries()
    {
        await Server.QueryShouldFailAsync("no_such_database", "select * from cpu", "Couldn't find series: cpu");
    }

    [Theory]
    [InlineData("select * fromm foo", null)]
    [InlineData("select * from cpu where value != 5", "                              ^")]
    [InlineData("select value as v from cpu", "             ^^")]
    [InlineData("select * from cpu limit 1.5", "                        ^^^")]
    [InlineData("select * from cpu-1", "                 ^")]
    [InlineData("select * from cpu order by time desc", "                        ^^")]
    [InlineData("select * from cpu where value =~ 'a'", "                                 ^^^")]
    [InlineData("select * from cpu limit 5 where value > 1", "                          ^^^^^")]
    [InlineData("select * from cpu where host = 'a", "                               ^")]
    [InlineData("list series /cpu", "             ^^^")]
    [InlineData("select * from cpu;;", "                  ^")]
    [InlineData("select -1 * value group by", "                  ^^^^^")]
    [InlineData("selec * from cpu", null)]
    [InlineData("select * from cpu limit", null)]
    public async Task Query_ParseErrorsAreThreeLines(string query, string? carets)
    {
        var db = await DatabaseWithAsync(CpuData);
        var reply = await Server.TryQueryAsync(db, query);
        var body = reply.ShouldHave(HttpStatusCode.BadRequest);
        reply.ContentType.ShouldBe("text/plain");
        var lines = body.Split('\n');
        lines.Length.ShouldBe(3, body);
        lines[0].ShouldStartWith("syntax error, unexpected ");
        lines[1].ShouldBe(query);
        CaretLine().IsMatch(lines[2]).ShouldBeTrue(body);
        if (carets is not null)
        {
            lines[2].ShouldBe(carets);
        }
    }

    [Theory]
    [InlineData("q=")]
    [InlineData("q=%20")]
    [InlineData("")]
    public async Task Query_MissingOrEmptyQueryIsAParseError(string q)
    {
        var db = await fixture.NewDatabaseAsync();
        var reply = await Server.FetchAsync(TestServer.Auth($"/db/{db}/series?{q}"));
        var body = reply.ShouldHave(HttpStatusCode.BadRequest);
        body.ShouldStartWith("syntax error, unexpected ");
        body.Split('\n').Length.ShouldBe(3, body);
    }

    [GeneratedRegex("^ *\\^+$")]
    private static partial Regex CaretLine();
}
