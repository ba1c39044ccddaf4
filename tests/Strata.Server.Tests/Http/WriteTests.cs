using System.Net;
using System.Text;
using System.Text.Json;
using Strata.Server.Tests.Support;
using static Strata.Server.Tests.Http.HttpKit;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §5.1–§5.9: what a successful write stores, read back with raw selects.</summary>
public sealed class WriteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    // ── accepted bodies (§1.6, §5.1) ──────────────────────────────────────────────────────────

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData(" [ ] ")]
    [InlineData("""[{"name":"","columns":["v"],"points":[]}]""")]
    [InlineData("""[{"name":"","columns":["v"],"points":null}]""")]
    [InlineData("""[{"name":"","columns":["v"]}]""")]
    [InlineData("""[{"columns":["v","v"],"points":[]}]""")]
    [InlineData("""[{"name":"a","columns":["time"],"points":[]}]""")]
    [InlineData("""[{"name":"a","columns":["v","w"]}]""")]
    [InlineData("""[{}]""")]
    public async Task Write_SeriesWithoutPointsAreSkippedBeforeAnyCheck(string body)
    {
        var db = await fixture.NewDatabaseAsync();
        (await Server.TryWriteAsync(db, body)).ShouldHave(HttpStatusCode.OK, "");
        await Server.ListSeriesShouldBeEmptyAsync(db);
    }

    [Fact]
    public async Task Write_SkippedEmptySeriesDoNotBlockTheOthers()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"","columns":["v","v"],"points":[]},{"name":"ok","columns":["time","sequence_number","v"],"points":[[1000,1,1]]},{"name":"","points":null}]""");
        await Server.QueryShouldBeAsync(db, "list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"ok"]]}]""");
    }

    [Theory]
    [InlineData("""[{"NAME":"k","COLUMNS":["time","sequence_number","v"],"POINTS":[[1000,1,1]]}]""")]
    [InlineData("""[{"Name":"k","Columns":["time","sequence_number","v"],"Points":[[1000,1,1]]}]""")]
    [InlineData("""[{"name":"wrong","name":"k","columns":["x"],"columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""")]
    [InlineData("""[{"name":"k","columns":["time","sequence_number","v"],"points":[[1000,1,1]],"extra":{"a":[1,2]}}]""")]
    [InlineData("""[{"name":"k","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}] trailing garbage""")]
    [InlineData("""[{"name":"k","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}][{"name":"other","columns":["v"],"points":[[2]]}]""")]
    [InlineData("""[{"name":"k","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]{""")]
    [InlineData("""[{"name":"k","columns":["v","sequence_number","time"],"points":[[1,1,1000]]}]""")]
    [InlineData("""[{"name":"k","columns":["sequence_number","v","time"],"points":[[1,1,1000]]}]""")]
    [InlineData("""[{"name":"k","columns":["time","sequence_number","v"],"points":[[1000,1,1]]},{"name":"k","columns":["v"],"points":[]}]""")]
    public async Task Write_DecodesLikeGoJson(string body)
    {
        var db = await fixture.NewDatabaseAsync();
        (await Server.TryWriteAsync(db, body)).ShouldHave(HttpStatusCode.OK, "");
        await Server.QueryShouldBeAsync(db, "list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"k"]]}]""");
        await Server.QueryShouldBeAsync(db, "select * from k", """[{"name":"k","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""");
    }

    [Fact]
    public async Task Write_AcceptsNoContentTypeAndChunkedTransferEncoding()
    {
        var db = await fixture.NewDatabaseAsync();
        const string Body = """[{"name":"statsd","columns":["time","sequence_number","v"],"points":[[1000,1,1],[2000,1,2]]}]""";
        var content = new ChunkedContent(Encoding.UTF8.GetBytes(Body));
        content.Headers.ContentType.ShouldBeNull();
        (await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), content)).ShouldHave(HttpStatusCode.OK, "");
        await Server.QueryShouldBeAsync(db, "select * from statsd order asc", Body);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/octet-stream")]
    public async Task Write_IgnoresTheContentType(string contentType)
    {
        var db = await fixture.NewDatabaseAsync();
        const string Body = """[{"name":"ct","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""";
        (await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), Body, ("Content-Type", contentType))).ShouldHave(HttpStatusCode.OK, "");
        await Server.QueryShouldBeAsync(db, "select * from ct", Body);
    }

    // ── value types (§5.3) ────────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("1", "1")]
    [InlineData("-1", "-1")]
    [InlineData("0", "0")]
    [InlineData("1.0", "1")]
    [InlineData("1000000", "1000000")]
    [InlineData("1000000.0", "1e+06")]
    [InlineData("1e6", "1e+06")]
    [InlineData("1E6", "1e+06")]
    [InlineData("1e3", "1000")]
    [InlineData("10e-1", "1")]
    [InlineData("-2000000", "-2000000")]
    [InlineData("-2000000.0", "-2e+06")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("9223372036854775808", "9.223372036854776e+18")]
    [InlineData("-9223372036854775809", "-9.223372036854776e+18")]
    [InlineData("12345678901234567", "12345678901234567")]
    [InlineData("12345678901234567.0", "1.2345678901234568e+16")]
    [InlineData("123456789012345678", "123456789012345678")]
    [InlineData("123456789012345678.0", "1.2345678901234568e+17")]
    [InlineData("0.5", "0.5")]
    [InlineData("\"s\"", "\"s\"")]
    [InlineData("\"1\"", "\"1\"")]
    [InlineData("\"1.0\"", "\"1.0\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    public async Task Write_ClassifiesOneAsIntAndOnePointZeroAsFloat(string written, string wire)
    {
        // The int/float split is visible on the wire: an int prints its digits, a float Go's %g form.
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, $$"""[{"name":"t","columns":["time","sequence_number","v"],"points":[[1000,1,{{written}}]]}]""");
        (await Server.QueryTextAsync(db, "select v from t"))
            .ShouldBe($$"""[{"name":"t","columns":["time","sequence_number","v"],"points":[[1000,1,{{wire}}]]}]""");
    }

    [Fact]
    public async Task Write_TypesArePerValueNotPerColumn()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"mix","columns":["time","sequence_number","v"],"points":[[1000,1,1],[2000,1,1.5],[3000,1,"x"],[4000,1,true],[5000,1,1000000.0],[6000,1,1000000]]}]""");
        (await Server.QueryTextAsync(db, "select v from mix"))
            .ShouldBe("""[{"name":"mix","columns":["time","sequence_number","v"],"points":[[6000,1,1000000],[5000,1,1e+06],[4000,1,true],[3000,1,"x"],[2000,1,1.5],[1000,1,1]]}]""");
    }

    [Fact]
    public async Task Write_NullStoresNoValueAndAnAllNullPointIsNotStored()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"n","columns":["time","sequence_number","a","b"],"points":[[1000,1,1,null],[2000,1,null,"x"],[3000,1,null,null]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from n", """[{"name":"n","columns":["time","sequence_number","a","b"],"points":[[2000,1,null,"x"],[1000,1,1,null]]}]""");
        await Server.QueryShouldBeAsync(db, "select a from n", """[{"name":"n","columns":["time","sequence_number","a"],"points":[[1000,1,1]]}]""");
        await Server.QueryShouldBeAsync(db, "select b from n", """[{"name":"n","columns":["time","sequence_number","b"],"points":[[2000,1,"x"]]}]""");
    }

    [Fact]
    public async Task Write_SpecialColumnNamesAreExactLowerCase()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"c","columns":["time","sequence_number","Time","SEQUENCE_NUMBER","v"],"points":[[1000,1,"t","s",1]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from c", """[{"name":"c","columns":["time","sequence_number","Time","SEQUENCE_NUMBER","v"],"points":[[1000,1,"t","s",1]]}]""");
    }

    [Theory]
    [InlineData("my series")]
    [InlineData("a/b")]
    [InlineData("quote\"d")]
    [InlineData("ünï.cödé")]
    [InlineData("new\nline")]
    [InlineData("cpu-1")]
    public async Task Write_SeriesNamesMayHoldAnyCharacters(string name)
    {
        var db = await fixture.NewDatabaseAsync();
        var encoded = JsonSerializer.Serialize(name);
        await Server.WriteAsync(db, $$"""[{"name":{{encoded}},"columns":["time","sequence_number","col.with-odd (chars)*"],"points":[[1000,1,7]]}]""");
        var list = JsonDocument.Parse(await Server.QueryTextAsync(db, "list series")).RootElement;
        list[0].GetProperty("points")[0][1].GetString().ShouldBe(name);
        var regex = JsonDocument.Parse(await Server.QueryTextAsync(db, "select * from /.*/")).RootElement;
        regex[0].GetProperty("name").GetString().ShouldBe(name);
        regex[0].GetProperty("columns")[2].GetString().ShouldBe("col.with-odd (chars)*");
        regex[0].GetProperty("points")[0][2].GetInt64().ShouldBe(7);
    }

    // ── time and precision (§5.4) ─────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("s", "1400000000", 1400000000000000)]
    [InlineData("ms", "1400000000123", 1400000000123000)]
    [InlineData("m", "1400000000123", 1400000000123000)]
    [InlineData("", "1400000000123", 1400000000123000)]
    [InlineData(null, "1400000000123", 1400000000123000)]
    [InlineData("u", "1400000000123456", 1400000000123456)]
    [InlineData("s", "1.9", 1000000)]
    [InlineData("s", "1400000000.999", 1400000000000000)]
    [InlineData("ms", "1.9", 1000)]
    [InlineData("ms", "1400000000123.9", 1400000000123000)]
    [InlineData("u", "1.9", 1)]
    [InlineData("s", "1e9", 1000000000000000)]
    [InlineData("ms", "1.4e12", 1400000000000000)]
    [InlineData("s", "0", 0)]
    [InlineData("s", "0.5", 0)]
    [InlineData("s", "-1", -1000000)]
    [InlineData("s", "-1.9", -1000000)]
    [InlineData("ms", "-1500", -1500000)]
    [InlineData("u", "-1", -1)]
    [InlineData("s", "-86400000", -86400000000000)]
    public async Task Write_ScalesTimeByPrecisionAfterTruncating(string? precision, string time, long micros)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, $$"""[{"name":"p","columns":["time","sequence_number","v"],"points":[[{{time}},1,1]]}]""", precision);
        await Server.QueryShouldBeAsync(db, "select v from p", $$"""[{"name":"p","columns":["time","sequence_number","v"],"points":[[{{micros}},1,1]]}]""", "time_precision=u");
    }

    [Fact]
    public async Task Write_NegativeTimesSortBeforeTheEpoch()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"neg","columns":["time","sequence_number","v"],"points":[[-1,1,1],[0,1,2],[1,1,3],[-31536000,1,4]]}]""", "s");
        await Server.QueryShouldBeAsync(db, "select v from neg", """[{"name":"neg","columns":["time","sequence_number","v"],"points":[[1,1,3],[0,1,2],[-1,1,1],[-31536000,1,4]]}]""", "time_precision=s");
        await Server.QueryShouldBeAsync(db, "select v from neg order asc", """[{"name":"neg","columns":["time","sequence_number","v"],"points":[[-31536000,1,4],[-1,1,1],[0,1,2],[1,1,3]]}]""", "time_precision=s");
    }

    // ── server-assigned time (§5.5) ───────────────────────────────────────────────────────────

    [Fact]
    public async Task Write_OneServerTimestampPerRequest()
    {
        var db = await fixture.NewDatabaseAsync();
        var before = NowMicros() - 1000;
        await Server.WriteAsync(db, """[{"name":"a","columns":["v"],"points":[[1],[2],[3]]},{"name":"b","columns":["v"],"points":[[4]]},{"name":"c","columns":["time","v"],"points":[[1000,5]]}]""");
        var after = NowMicros() + 1000;

        var result = JsonDocument.Parse(await Server.QueryTextAsync(db, "select v from a, b", "time_precision=u")).RootElement;
        var times = new List<long>();
        foreach (var series in result.EnumerateArray())
        {
            foreach (var point in series.GetProperty("points").EnumerateArray())
            {
                times.Add(point[0].GetInt64());
            }
        }

        times.Count.ShouldBe(4);
        times.Distinct().Count().ShouldBe(1, string.Join(",", times));
        times[0].ShouldBeInRange(before, after);
        var explicitTime = JsonDocument.Parse(await Server.QueryTextAsync(db, "select v from c")).RootElement;
        explicitTime[0].GetProperty("points")[0][0].GetInt64().ShouldBe(1000);
    }

    [Fact]
    public async Task Write_TimeLessPointsOfOneRequestComeBackInReverseWriteOrder()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"r","columns":["v"],"points":[[4],[10],[5]]}]""");
        var result = JsonDocument.Parse(await Server.QueryTextAsync(db, "select v from r limit 2")).RootElement;
        var points = result[0].GetProperty("points");
        points.GetArrayLength().ShouldBe(2);
        points[0][2].GetInt64().ShouldBe(5);
        points[1][2].GetInt64().ShouldBe(10);
        points[0][1].GetInt64().ShouldBeGreaterThan(points[1][1].GetInt64());
    }

    // ── sequence numbers (§5.6) ───────────────────────────────────────────────────────────────

    [Fact]
    public async Task Write_AssignsSequenceNumbersFrom10001InBodyOrderAcrossSeriesAndDatabases()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("one");
        await server.CreateDatabaseAsync("two");
        await server.WriteAsync("one", """[{"name":"a","columns":["time","v"],"points":[[1000,1],[1000,2],[5000,3]]},{"name":"b","columns":["time","v"],"points":[[1000,4]]},{"name":"c","columns":["time","v"],"points":[[1000,5]]}]""");
        await server.WriteAsync("two", """[{"name":"a","columns":["time","v"],"points":[[1000,6]]}]""");
        await server.WriteAsync("one", """[{"name":"b","columns":["time","v"],"points":[[1000,8]]}]""");
        await server.WriteAsync("one", """[{"name":"a","columns":["time","sequence_number","v"],"points":[[1000,7,7]]}]""");

        await server.QueryShouldBeAsync("one", "select v from a",
            """[{"name":"a","columns":["time","sequence_number","v"],"points":[[5000,30001,3],[1000,20001,2],[1000,10001,1],[1000,7,7]]}]""");
        await server.QueryShouldBeAsync("one", "select v from b",
            """[{"name":"b","columns":["time","sequence_number","v"],"points":[[1000,70001,8],[1000,40001,4]]}]""");
        await server.QueryShouldBeAsync("one", "select v from c",
            """[{"name":"c","columns":["time","sequence_number","v"],"points":[[1000,50001,5]]}]""");
        await server.QueryShouldBeAsync("two", "select v from a",
            """[{"name":"a","columns":["time","sequence_number","v"],"points":[[1000,60001,6]]}]""");
    }

    [Theory]
    [InlineData("1234", 1234)]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("1234.0", 1234)]
    [InlineData("1e3", 1000)]
    [InlineData("10001", 10001)]
    [InlineData("9007199254740992", 9007199254740992)]
    public async Task Write_StoresAClientSequenceNumberVerbatim(string cell, long stored)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, $$"""[{"name":"q","columns":["time","sequence_number","v"],"points":[[1000,{{cell}},1]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from q", $$"""[{"name":"q","columns":["time","sequence_number","v"],"points":[[1000,{{stored}},1]]}]""");
    }

    // ── updates and deletes by (time, sequence_number) (§5.7) ─────────────────────────────────

    [Fact]
    public async Task Write_SameTimeAndSequenceNumberUpdatesColumnByColumn()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"u","columns":["time","sequence_number","a","b"],"points":[[1000,5,1,"x"],[2000,5,10,"y"]]}]""");
        await Server.WriteAsync(db, """[{"name":"u","columns":["time","sequence_number","a"],"points":[[1000,5,2]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from u", """[{"name":"u","columns":["time","sequence_number","a","b"],"points":[[2000,5,10,"y"],[1000,5,2,"x"]]}]""");

        // A new column joins the existing point.
        await Server.WriteAsync(db, """[{"name":"u","columns":["time","sequence_number","c"],"points":[[1000,5,true]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from u", """[{"name":"u","columns":["time","sequence_number","a","b","c"],"points":[[2000,5,10,"y",null],[1000,5,2,"x",true]]}]""");

        // null deletes one column and leaves the others.
        await Server.WriteAsync(db, """[{"name":"u","columns":["time","sequence_number","a"],"points":[[1000,5,null]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from u", """[{"name":"u","columns":["time","sequence_number","a","b","c"],"points":[[2000,5,10,"y",null],[1000,5,null,"x",true]]}]""");

        // Deleting the last columns makes the point vanish.
        await Server.WriteAsync(db, """[{"name":"u","columns":["time","sequence_number","b","c"],"points":[[1000,5,null,null]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from u", """[{"name":"u","columns":["time","sequence_number","a","b","c"],"points":[[2000,5,10,"y",null]]}]""");
    }

    [Fact]
    public async Task Write_APointWhoseOnlyColumnIsNulledVanishes()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"v","columns":["time","sequence_number","column0"],"points":[[1000,1,1.0]]}]""");
        await Server.WriteAsync(db, """[{"name":"v","columns":["time","sequence_number","column0"],"points":[[1000,1,null]]}]""");
        await Server.QueryShouldBeAsync(db, "select * from v", "[]");
        await Server.QueryShouldBeAsync(db, "list series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"v"]]}]""");
    }

    [Fact]
    public async Task Write_UpdateCanChangeAValuesType()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"w","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""");
        await Server.WriteAsync(db, """[{"name":"w","columns":["time","sequence_number","v"],"points":[[1000,1,"now a string"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from w", """[{"name":"w","columns":["time","sequence_number","v"],"points":[[1000,1,"now a string"]]}]""");
    }

    [Fact]
    public async Task Write_SameTimeDifferentSequenceNumbersAreDistinctPoints()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"d","columns":["time","sequence_number","v"],"points":[[1000,1,"a"],[1000,2,"b"]]}]""");
        await Server.WriteAsync(db, """[{"name":"d","columns":["time","v"],"points":[[1000,"c"]]}]""");
        await Server.WriteAsync(db, """[{"name":"d","columns":["time","v"],"points":[[1000,"d"]]}]""");
        var points = JsonDocument.Parse(await Server.QueryTextAsync(db, "select v from d")).RootElement[0].GetProperty("points");
        points.GetArrayLength().ShouldBe(4);
        points[0][2].GetString().ShouldBe("d");
        points[1][2].GetString().ShouldBe("c");
        points[2].GetRawText().ShouldBe("""[1000,2,"b"]""");
        points[3].GetRawText().ShouldBe("""[1000,1,"a"]""");
    }

    [Fact]
    public async Task Write_LaterPointWithTheSameIdentityInOneBodyWins()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"l","columns":["time","sequence_number","v"],"points":[[1000,1,"first"],[1000,1,"second"]]}]""");
        await Server.QueryShouldBeAsync(db, "select v from l", """[{"name":"l","columns":["time","sequence_number","v"],"points":[[1000,1,"second"]]}]""");
    }

    // ── several objects for one series (§5.9) ─────────────────────────────────────────────────

    [Fact]
    public async Task Write_ObjectsWithTheSameNameMergeWithTheUnionOfColumns()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"m","columns":["time","sequence_number","a"],"points":[[1000,1,1]]},{"name":"other","columns":["time","sequence_number","z"],"points":[[1000,1,0]]},{"name":"m","columns":["time","sequence_number","b"],"points":[[2000,1,"x"]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from m", """[{"name":"m","columns":["time","sequence_number","a","b"],"points":[[2000,1,null,"x"],[1000,1,1,null]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from other", """[{"name":"other","columns":["time","sequence_number","z"],"points":[[1000,1,0]]}]""");
    }

    [Fact]
    public async Task Write_ColumnSetIsTheUnionOfEveryRequest()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"m","columns":["time","sequence_number","a"],"points":[[1000,1,1]]}]""");
        await Server.WriteAsync(db, """[{"name":"m","columns":["time","sequence_number","b","c"],"points":[[2000,1,2,3]]}]""");
        await Server.StarQueryShouldBeAsync(db, "select * from m", """[{"name":"m","columns":["time","sequence_number","a","b","c"],"points":[[2000,1,null,2,3],[1000,1,1,null,null]]}]""");
    }

    [Fact]
    public async Task Write_SelectStarColumnsFollowFirstWrittenOrder()
    {
        // Strata choice (http-api.md §6.2): `select *` value columns in the order they were first written.
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"o","columns":["zeta","time","alpha","sequence_number","mid"],"points":[["z",1000,"a",1,"m"]]}]""");
        await Server.WriteAsync(db, """[{"name":"o","columns":["time","sequence_number","beta","alpha"],"points":[[2000,1,"b","a2"]]}]""");
        (await Server.QueryTextAsync(db, "select * from o"))
            .ShouldBeJson("""[{"name":"o","columns":["time","sequence_number","zeta","alpha","mid","beta"],"points":[[2000,1,null,"a2",null,"b"],[1000,1,"z","a","m",null]]}]""");
    }
}
