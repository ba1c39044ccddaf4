using System.Net;
using System.Text.Json;
using Strata.Server.Tests.Support;
using static Strata.Server.Tests.Http.HttpKit;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §1.5 (Go JSON output: floats, strings, pretty) and §6.6 (chunked responses); raw bytes compared on purpose.</summary>
public sealed class ResponseFormatTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private async Task<string> WireOfAsync(string cell)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, $$"""[{"name":"f","columns":["time","sequence_number","v"],"points":[[1000,1,{{cell}}]]}]""");
        var body = await Server.QueryTextAsync(db, "select v from f");
        const string Prefix = """[{"name":"f","columns":["time","sequence_number","v"],"points":[[1000,1,""";
        body.ShouldStartWith(Prefix);
        body.ShouldEndWith("]]}]");
        return body[Prefix.Length..^4];
    }

    [Theory]
    [InlineData("1000000.0", "1e+06")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("123456.0", "123456")]
    [InlineData("2.0", "2")]
    [InlineData("3.0", "3")]
    [InlineData("0.5", "0.5")]
    [InlineData("1234567.5", "1.2345675e+06")]
    [InlineData("123456.5", "123456.5")]
    [InlineData("999999.0", "999999")]
    [InlineData("100000.0", "100000")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.000123", "0.000123")]
    [InlineData("0.0000123", "1.23e-05")]
    [InlineData("0.1", "0.1")]
    [InlineData("0.3", "0.3")]
    [InlineData("1.1", "1.1")]
    [InlineData("-1000000.0", "-1e+06")]
    [InlineData("-0.00001", "-1e-05")]
    [InlineData("-2.5", "-2.5")]
    [InlineData("0.0", "0")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1e100", "1e+100")]
    [InlineData("1.5e-7", "1.5e-07")]
    [InlineData("1e-100", "1e-100")]
    [InlineData("123456789.0", "1.23456789e+08")]
    [InlineData("3.141592653589793", "3.141592653589793")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("15028546720250474530", "1.5028546720250474e+19")]
    public async Task Float_PrintsInGoShortestPercentGForm(string written, string wire) =>
        (await WireOfAsync(written)).ShouldBe(wire);

    [Theory]
    [InlineData("\"plain\"", "\"plain\"")]
    [InlineData("\"<a&b>\"", "\"\\u003ca\\u0026b\\u003e\"")]
    [InlineData("\"quote\\\" back\\\\slash\"", "\"quote\\\" back\\\\slash\"")]
    [InlineData("\"line\\nfeed\\rreturn\"", "\"line\\nfeed\\rreturn\"")]
    [InlineData("\"tab\\there\"", "\"tab\\u0009here\"")]
    [InlineData("\"ctl\\u0001\"", "\"ctl\\u0001\"")]
    [InlineData("\"ünï €\"", "\"ünï €\"")]
    [InlineData("\"\\u00e9\"", "\"é\"")]
    [InlineData("\"/slash\"", "\"/slash\"")]
    public async Task String_EscapesLikeGo(string written, string wire) =>
        (await WireOfAsync(written)).ShouldBe(wire);

    [Fact]
    public async Task String_InvalidUtf8BecomesTheReplacementCharacter()
    {
        var db = await fixture.NewDatabaseAsync();
        var body = new List<byte>(System.Text.Encoding.UTF8.GetBytes("""[{"name":"f","columns":["time","sequence_number","v"],"points":[[1000,1,"a"""));
        body.Add(0xff);
        body.AddRange(System.Text.Encoding.UTF8.GetBytes("b\"]]}]"));
        (await Server.SendAsync(HttpMethod.Post, TestServer.Auth($"/db/{db}/series"), new ByteArrayContent([.. body]))).ShouldHave(HttpStatusCode.OK, "");
        (await Server.QueryTextAsync(db, "select v from f")).ShouldBe("[{\"name\":\"f\",\"columns\":[\"time\",\"sequence_number\",\"v\"],\"points\":[[1000,1,\"a\uFFFDb\"]]}]");
    }

    [Fact]
    public async Task Compact_NoSpacesNoTrailingNewline()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"c","columns":["time","sequence_number","a"],"points":[[2000,7,"x"],[1000,8,true]]}]""");
        (await Server.QueryTextAsync(db, "select a from c")).ShouldBe("""[{"name":"c","columns":["time","sequence_number","a"],"points":[[2000,7,"x"],[1000,8,true]]}]""");
        (await Server.QueryTextAsync(db, "select a from c where a = 'nothing'")).ShouldBe("[]");
    }

    // ── pretty=true (§1.5) ────────────────────────────────────────────────────────────────────

    [Fact]
    public async Task Pretty_IndentsFourSpacesEveryElementOnItsOwnLine()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"p","columns":["time","sequence_number","v","s"],"points":[[2000,2,1.5,"x"],[1000,1,1000000.0,null]]}]""");
        const string Expected = "[\n    {\n        \"name\": \"p\",\n        \"columns\": [\n            \"time\",\n            \"sequence_number\",\n            \"s\",\n            \"v\"\n        ],\n" +
            "        \"points\": [\n            [\n                2000,\n                2,\n                \"x\",\n                1.5\n            ],\n            [\n                1000,\n                1,\n                null,\n                1e+06\n            ]\n        ]\n    }\n]";
        (await Server.QueryTextAsync(db, "select v, s from p", "pretty=true")).ShouldBe(Expected);
    }

    [Theory]
    [InlineData("pretty=true&q=select+*+from+p+where+v+%3D+99", "[]")]
    [InlineData("pretty=true&q=list+series", "[\n    {\n        \"name\": \"list_series_result\",\n        \"columns\": [\n            \"time\",\n            \"name\"\n        ],\n        \"points\": [\n            [\n                0,\n                \"p\"\n            ]\n        ]\n    }\n]")]
    [InlineData("pretty=TRUE&q=list+series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"p"]]}]""")]
    [InlineData("pretty=1&q=list+series", """[{"name":"list_series_result","columns":["time","name"],"points":[[0,"p"]]}]""")]
    public async Task Pretty_OnlyTheExactValueTrueIndents(string parameters, string expected)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, """[{"name":"p","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""");
        (await Server.FetchAsync(TestServer.Auth($"/db/{db}/series?{parameters}"))).ShouldHave(HttpStatusCode.OK, expected);
    }

    [Fact]
    public async Task Pretty_ListSeriesOfAnEmptyDatabaseShowsAnEmptyArrayAsBrackets()
    {
        var db = await fixture.NewDatabaseAsync();
        (await Server.QueryTextAsync(db, "list series", "pretty=true")).ShouldBe(
            "[\n    {\n        \"name\": \"list_series_result\",\n        \"columns\": [\n            \"time\",\n            \"sequence_number\",\n            \"name\"\n        ],\n        \"points\": []\n    }\n]");
    }

    [Fact]
    public async Task Pretty_ErrorStringsAreNotPrettified()
    {
        var db = await fixture.NewDatabaseAsync();
        (await Server.TryQueryAsync(db, "select * from nosuch", "pretty=true")).ShouldHave(HttpStatusCode.BadRequest, "Couldn't find series: nosuch");
    }

    // ── chunked=true (§6.6) ───────────────────────────────────────────────────────────────────

    private const string Multi = """[{"name":"cpu.a","columns":["time","sequence_number","v"],"points":[[1399996800,1,1],[1399996810,1,2]]},{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]},{"name":"mem","columns":["time","sequence_number","w"],"points":[[1399996800,1,9]]}]""";

    /// <summary>Concatenates the chunked objects by series name into the non-chunked shape (sorted by name).</summary>
    private static string Merge(List<JsonElement> objects)
    {
        var byName = new SortedDictionary<string, (string Columns, List<string> Points)>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            o.ValueKind.ShouldBe(JsonValueKind.Object);
            o.EnumerateObject().Select(p => p.Name).ShouldBe(["name", "columns", "points"]);
            var name = o.GetProperty("name").GetString()!;
            var columns = o.GetProperty("columns").GetRawText();
            if (!byName.TryGetValue(name, out var entry))
            {
                entry = (columns, []);
                byName[name] = entry;
            }

            entry.Columns.ShouldBe(columns, $"columns of the pieces of {name}");
            entry.Points.AddRange(o.GetProperty("points").EnumerateArray().Select(p => p.GetRawText()));
        }

        return "[" + string.Join(",", byName.Select(kv => $"{{\"name\":{JsonSerializer.Serialize(kv.Key)},\"columns\":{kv.Value.Columns},\"points\":[{string.Join(",", kv.Value.Points)}]}}")) + "]";
    }

    [Theory]
    [InlineData("select * from /.*/")]
    [InlineData("select * from mem, cpu.a")]
    [InlineData("select v from cpu.a")]
    [InlineData("select * from /^cpu/ limit 1")]
    [InlineData("list series")]
    public async Task Chunked_ConcatenatesBareObjectsThatMergeIntoTheArrayResult(string query)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, Multi, "s");
        var plain = await Server.QueryTextAsync(db, query, "time_precision=s");
        var reply = await Server.TryQueryAsync(db, query, "time_precision=s&chunked=true");
        var body = reply.ShouldHave(HttpStatusCode.OK);
        reply.ContentType.ShouldBe("application/json");
        body.ShouldStartWith("{");
        body.ShouldNotContain("}\n{");
        body.ShouldNotContain("},{");
        var objects = SplitConcatenated(body);
        objects.Count.ShouldBeGreaterThan(0);
        Merge(objects).ShouldBeJson(plain);
    }

    [Fact]
    public async Task Chunked_ALongSeriesMayComeInSeveralPiecesInQueryOrder()
    {
        var db = await fixture.NewDatabaseAsync();
        var points = string.Join(",", Enumerable.Range(1, 1500).Select(i => $"[{i * 1000},1,{i}]"));
        await Server.WriteAsync(db, $$"""[{"name":"long","columns":["time","sequence_number","v"],"points":[{{points}}]}]""");

        var objects = SplitConcatenated(await Server.QueryTextAsync(db, "select v from long", "chunked=true"));
        var merged = JsonDocument.Parse(Merge(objects)).RootElement;
        merged.GetArrayLength().ShouldBe(1);
        var values = merged[0].GetProperty("points").EnumerateArray().Select(p => p[2].GetInt32()).ToList();
        values.ShouldBe(Enumerable.Range(1, 1500).Reverse().ToList());

        var ascending = JsonDocument.Parse(Merge(SplitConcatenated(await Server.QueryTextAsync(db, "select v from long order asc limit 1200", "chunked=true")))).RootElement;
        ascending[0].GetProperty("points").EnumerateArray().Select(p => p[2].GetInt32()).ShouldBe(Enumerable.Range(1, 1200).ToList());

        var whole = JsonDocument.Parse(await Server.QueryTextAsync(db, "select v from long")).RootElement;
        whole.GetArrayLength().ShouldBe(1);
        whole[0].GetProperty("points").GetArrayLength().ShouldBe(1500);
    }

    [Fact]
    public async Task Chunked_NoResultsIsAnEmpty200()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, Multi, "s");
        var reply = await Server.TryQueryAsync(db, "select * from /nomatch/", "chunked=true");
        reply.ShouldHave(HttpStatusCode.OK, "");
        reply.ContentType.ShouldNotBeNull().ShouldStartWith("text/plain");
    }

    [Fact]
    public async Task Chunked_ErrorBeforeTheFirstChunkIsANormalError()
    {
        var db = await fixture.NewDatabaseAsync();
        var reply = await Server.TryQueryAsync(db, "select * from nosuch", "chunked=true");
        reply.ShouldHave(HttpStatusCode.BadRequest, "Couldn't find series: nosuch");
    }

    [Theory]
    [InlineData("chunked=True")]
    [InlineData("chunked=1")]
    [InlineData("chunked=")]
    public async Task Chunked_OnlyTheExactValueTrueStreams(string parameter)
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, Multi, "s");
        (await Server.QueryTextAsync(db, "select * from cpu.b", "time_precision=s&" + parameter))
            .ShouldBeJson("""[{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]}]""");
    }

    [Fact]
    public async Task Chunked_WithPrettyIndentsEachObjectWithoutSeparator()
    {
        var db = await fixture.NewDatabaseAsync();
        await Server.WriteAsync(db, Multi, "s");
        var body = await Server.QueryTextAsync(db, "select * from cpu.b", "time_precision=s&chunked=true&pretty=true");
        body.ShouldStartWith("{\n    \"name\": \"cpu.b\",\n    \"columns\": [\n        \"time\",\n");
        body.ShouldEndWith("}");
        Merge(SplitConcatenated(body)).ShouldBeJson("""[{"name":"cpu.b","columns":["time","sequence_number","v"],"points":[[1399996805,1,3]]}]""");

        var two = await Server.QueryTextAsync(db, "select * from /^cpu/", "time_precision=s&chunked=true&pretty=true");
        two.ShouldContain("}{\n    \"name\": ");
        SplitConcatenated(two).Count.ShouldBeGreaterThanOrEqualTo(2);
    }
}
