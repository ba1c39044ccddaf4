using System.Net;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Http;

/// <summary>http-api.md §5.12 write error catalogue (and §1.6, §5.2–§5.8 where the rows come from). Every failed write stores nothing.</summary>
public sealed class WriteErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private async Task WriteShouldFailAsync(string body, string expected, string? precision = null)
    {
        var db = await fixture.NewDatabaseAsync();
        var reply = await Server.TryWriteAsync(db, body, precision);
        reply.ShouldHave(HttpStatusCode.BadRequest, expected);
        reply.ContentType.ShouldNotBeNull().ShouldStartWith("text/plain");
        await Server.ListSeriesShouldBeEmptyAsync(db);
    }

    // ── body decoding (§1.6) ──────────────────────────────────────────────────────────────────

    [Theory]
    [InlineData("", "EOF")]
    [InlineData(" \r\n\t ", "EOF")]
    [InlineData("[", "unexpected EOF")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1]]}""", "unexpected EOF")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1""", "unexpected EOF")]
    [InlineData("""[{"name":"a""", "unexpected EOF")]
    [InlineData("x", "invalid character 'x' looking for beginning of value")]
    [InlineData("[x]", "invalid character 'x' looking for beginning of value")]
    [InlineData("[1,]", "invalid character ']' looking for beginning of value")]
    [InlineData("""[{"name":"a",}]""", "invalid character '}' looking for beginning of object key string")]
    [InlineData("""[{"name" "a"}]""", "invalid character '\"' after object key")]
    [InlineData("""[{"name":"a"]""", "invalid character ']' after object key:value pair")]
    [InlineData("""[{"name":"a"} {}]""", "invalid character '{' after array element")]
    [InlineData("""[{'name':'a'}]""", "invalid character '\\'' looking for beginning of object key string")]
    [InlineData("""{"name":"a","columns":["v"],"points":[[1]]}""", "json: cannot unmarshal object into Go value of type []*common.SerializedSeries")]
    [InlineData("\"a\"", "json: cannot unmarshal string into Go value of type []*common.SerializedSeries")]
    [InlineData("1", "json: cannot unmarshal number into Go value of type []*common.SerializedSeries")]
    [InlineData("true", "json: cannot unmarshal bool into Go value of type []*common.SerializedSeries")]
    [InlineData("""[{"name":1,"columns":["v"],"points":[[1]]}]""", "json: cannot unmarshal number into Go value of type string")]
    [InlineData("""[{"name":"a","columns":"v","points":[[1]]}]""", "json: cannot unmarshal string into Go value of type []string")]
    [InlineData("""[{"name":"a","columns":[1],"points":[[1]]}]""", "json: cannot unmarshal number into Go value of type string")]
    [InlineData("""[{"name":"a","columns":["v"],"points":"x"}]""", "json: cannot unmarshal string into Go value of type [][]interface {}")]
    [InlineData("""[{"name":"a","columns":["v"],"points":{"a":1}}]""", "json: cannot unmarshal object into Go value of type [][]interface {}")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[1]}]""", "json: cannot unmarshal number into Go value of type []interface {}")]
    [InlineData("""[{"name":"a","columns":["v"],"points":["x"]}]""", "json: cannot unmarshal string into Go value of type []interface {}")]
    [InlineData("""[{"name":1,"columns":["v"],"points":[[1]]},{]""", "invalid character ']' looking for beginning of object key string")]
    [InlineData("""[{"name":1,"columns":"v","points":[[1]]}]""", "json: cannot unmarshal number into Go value of type string")]
    [InlineData("""[{"name":"a","columns":"v","points":[[1]]},{"name":2}]""", "json: cannot unmarshal string into Go value of type []string")]
    public async Task Write_RejectsUndecodableBodies(string body, string expected) => await WriteShouldFailAsync(body, expected);

    // ── conversion of series objects (§5.3, §5.4, §5.6, §5.8) ──────────────────────────────────

    [Theory]
    [InlineData("""[{"name":"a","columns":["v","v"],"points":[[1,2]]}]""", "Cannot have duplicate field names")]
    [InlineData("""[{"name":"a","columns":["v","w","v"],"points":[[1,2,3]]}]""", "Cannot have duplicate field names")]
    [InlineData("""[{"name":"a","columns":["v","v"],"points":[[1]]}]""", "Cannot have duplicate field names")]
    [InlineData("""[{"name":"a","columns":["v","v"],"points":[["x",{"a":1}]]}]""", "Cannot have duplicate field names")]
    [InlineData("""[{"name":"a","columns":["v","w"],"points":[[1]]}]""", "invalid payload")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1,2]]}]""", "invalid payload")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[]]}]""", "invalid payload")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1],[1,2]]}]""", "invalid payload")]
    [InlineData("""[{"name":"a","columns":["time","v"],"points":[[1000]]}]""", "invalid payload")]
    public async Task Write_RejectsDuplicateColumnsAndPointLengthMismatch(string body, string expected) => await WriteShouldFailAsync(body, expected);

    [Theory]
    [InlineData("\"foo\"", "time field must be float but is string (foo)")]
    [InlineData("\"1000\"", "time field must be float but is string (1000)")]
    [InlineData("\"\"", "time field must be float but is string ()")]
    [InlineData("true", "time field must be float but is bool (true)")]
    [InlineData("false", "time field must be float but is bool (false)")]
    [InlineData("null", "time field must be float but is <nil> (<nil>)")]
    [InlineData("[1,2]", "time field must be float but is []interface {} ([1 2])")]
    [InlineData("[]", "time field must be float but is []interface {} ([])")]
    [InlineData("""{"a":1}""", "time field must be float but is map[string]interface {} (map[a:1])")]
    public async Task Write_RejectsBadTimeCellTypes(string cell, string expected) =>
        await WriteShouldFailAsync($$"""[{"name":"a","columns":["time","v"],"points":[[{{cell}},1]]}]""", expected);

    [Theory]
    [InlineData("\"1\"", "sequence_number field must be float but is string (1)")]
    [InlineData("true", "sequence_number field must be float but is bool (true)")]
    [InlineData("null", "sequence_number field must be float but is <nil> (<nil>)")]
    [InlineData("[1]", "sequence_number field must be float but is []interface {} ([1])")]
    [InlineData("""{"a":1}""", "sequence_number field must be float but is map[string]interface {} (map[a:1])")]
    [InlineData("-1", "sequence_number must be a non-negative integer")]
    [InlineData("1.5", "sequence_number must be a non-negative integer")]
    public async Task Write_RejectsBadSequenceNumberCells(string cell, string expected) =>
        await WriteShouldFailAsync($$"""[{"name":"a","columns":["time","sequence_number","v"],"points":[[1000,{{cell}},1]]}]""", expected);

    [Theory]
    [InlineData("""{"a":1}""", "Unknown type map[string]interface {}")]
    [InlineData("{}", "Unknown type map[string]interface {}")]
    [InlineData("[1]", "Unknown type []interface {}")]
    [InlineData("[]", "Unknown type []interface {}")]
    [InlineData("1e400", "strconv.ParseFloat: parsing \"1e400\": value out of range")]
    [InlineData("-1e400", "strconv.ParseFloat: parsing \"-1e400\": value out of range")]
    [InlineData("1E309", "strconv.ParseFloat: parsing \"1E309\": value out of range")]
    public async Task Write_RejectsObjectArrayAndOutOfRangeValues(string cell, string expected) =>
        await WriteShouldFailAsync($$"""[{"name":"a","columns":["time","v"],"points":[[1000,{{cell}}]]}]""", expected);

    [Theory]
    [InlineData("""[{"name":"","columns":["v"],"points":[[1]]}]""")]
    [InlineData("""[{"columns":["v"],"points":[[1]]}]""")]
    [InlineData("""[{"name":null,"columns":["v"],"points":[[1]]}]""")]
    [InlineData("""[{"name":"ok","columns":["v"],"points":[[1]]},{"name":"","columns":["v"],"points":[[1]]}]""")]
    public async Task Write_RejectsEmptySeriesName(string body) => await WriteShouldFailAsync(body, "Series name cannot be empty");

    [Theory]
    [InlineData("""[{"name":"a","columns":["time"],"points":[[1000]]}]""", null)]
    [InlineData("""[{"name":"a","columns":["sequence_number"],"points":[[1]]}]""", null)]
    [InlineData("""[{"name":"a","columns":["time","sequence_number"],"points":[[1000,1]]}]""", null)]
    [InlineData("""[{"name":"a","columns":["sequence_number","time"],"points":[[1,1000],[2,2000]]}]""", null)]
    [InlineData("""[{"name":"a","columns":[],"points":[[]]}]""", null)]
    [InlineData("""[{"name":"a","points":[[]]}]""", null)]
    [InlineData("""[{"name":"a","columns":["time"],"points":[[1400000000]]}]""", "s")]
    public async Task Write_RejectsPointsWithoutFields(string body, string? precision) =>
        await WriteShouldFailAsync(body, "Unable to write points without fields", precision);

    // ── time range (§5.4) ─────────────────────────────────────────────────────────────────────

    private const string YearOutOfRange = "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]";

    [Theory]
    [InlineData("1397727405297", "s")]
    [InlineData("300000000000", "s")]
    [InlineData("-70000000000", "s")]
    [InlineData("300000000000000", "ms")]
    [InlineData("300000000000000000", "u")]
    [InlineData("1e19", "u")]
    [InlineData("-1e19", "u")]
    [InlineData("1e300", "ms")]
    [InlineData("9223372036854775807", "ms")]
    [InlineData("9223372036854775", "s")]
    public async Task Write_RejectsTimesOutsideYears0To9999(string time, string precision) =>
        await WriteShouldFailAsync($$"""[{"name":"a","columns":["time","v"],"points":[[{{time}},1]]}]""", YearOutOfRange, precision);

    [Fact]
    public async Task Write_YearOutOfRangeInALaterSeriesWritesNothing() =>
        await WriteShouldFailAsync(
            """[{"name":"ok","columns":["time","v"],"points":[[1400000000,1]]},{"name":"bad","columns":["time","v"],"points":[[1397727405297,1]]}]""",
            YearOutOfRange,
            "s");

    // ── time_precision is checked before authentication (§4.3, §12.5) ─────────────────────────

    [Theory]
    [InlineData("h", "u=root&p=root")]
    [InlineData("h", "u=root&p=wrong")]
    [InlineData("h", "")]
    [InlineData("x", "u=nobody&p=nobody")]
    [InlineData("us", "u=root&p=root")]
    [InlineData("ns", "u=root&p=root")]
    [InlineData("S", "u=root&p=root")]
    [InlineData("MS", "u=root&p=root")]
    [InlineData("seconds", "")]
    public async Task Write_RejectsBadPrecisionBeforeAuthentication(string precision, string credentials)
    {
        var db = await fixture.NewDatabaseAsync();
        var path = $"/db/{db}/series?time_precision={precision}" + (credentials.Length == 0 ? "" : "&" + credentials);
        var reply = await Server.SendAsync(HttpMethod.Post, path, """[{"name":"a","columns":["v"],"points":[[1]]}]""");
        reply.ShouldHave(HttpStatusCode.BadRequest, $"Unknown time precision {precision}");
        await Server.ListSeriesShouldBeEmptyAsync(db);
    }

    [Fact]
    public async Task Write_RejectsBadPrecisionEvenWithABadBodyAndAMissingDatabase()
    {
        var reply = await Server.SendAsync(HttpMethod.Post, "/db/nosuchdb/series?time_precision=h&u=root&p=wrong", "{");
        reply.ShouldHave(HttpStatusCode.BadRequest, "Unknown time precision h");
    }

    [Fact]
    public async Task Write_BadCredentialsAre401BeforeTheBodyIsRead()
    {
        var db = await fixture.NewDatabaseAsync();
        var reply = await Server.SendAsync(HttpMethod.Post, $"/db/{db}/series?u=root&p=wrong", "{");
        reply.ShouldHave(HttpStatusCode.Unauthorized, "Invalid username/password");
        reply.Header("WWW-Authenticate").ShouldBe("Basic realm=\"influxdb\"");
    }

    // ── missing database and the processing order (§5.2) ─────────────────────────────────────

    [Theory]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1]]}]""", "Database nosuchdb doesn't exist")]
    [InlineData("""[{"name":"","columns":["v"],"points":[[1]]}]""", "Database nosuchdb doesn't exist")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1,2]]}]""", "invalid payload")]
    [InlineData("""[{"name":"a","columns":["time","v"],"points":[["x",1]]}]""", "time field must be float but is string (x)")]
    [InlineData("{", "unexpected EOF")]
    public async Task Write_ChecksTheDatabaseAfterConvertingTheBody(string body, string expected) =>
        (await Server.TryWriteAsync("nosuchdb", body)).ShouldHave(HttpStatusCode.BadRequest, expected);

    // ── all or nothing (§5.2 Strata choice) ───────────────────────────────────────────────────

    [Theory]
    [InlineData("""{"name":"bad","columns":["v","v"],"points":[[1,2]]}""", "Cannot have duplicate field names")]
    [InlineData("""{"name":"bad","columns":["v"],"points":[[1,2]]}""", "invalid payload")]
    [InlineData("""{"name":"bad","columns":["time","v"],"points":[[1000,1],["x",2]]}""", "time field must be float but is string (x)")]
    [InlineData("""{"name":"bad","columns":["v"],"points":[[1],[[2]]]}""", "Unknown type []interface {}")]
    [InlineData("""{"name":"","columns":["v"],"points":[[1]]}""", "Series name cannot be empty")]
    [InlineData("""{"name":"bad","columns":["time"],"points":[[1000]]}""", "Unable to write points without fields")]
    [InlineData("""{"name":"bad","columns":["v"],"points":[[1e400]]}""", "strconv.ParseFloat: parsing \"1e400\": value out of range")]
    [InlineData("""{"name":"good","columns":["w","w"],"points":[[1,2]]}""", "Cannot have duplicate field names")]
    public async Task Write_ABadSecondSeriesWritesNothing(string second, string expected)
    {
        var db = await fixture.NewDatabaseAsync();
        var body = """[{"name":"good","columns":["time","sequence_number","v"],"points":[[1000,1,1],[2000,1,2]]},""" + second + "]";
        (await Server.TryWriteAsync(db, body)).ShouldHave(HttpStatusCode.BadRequest, expected);
        await Server.QueryShouldFailAsync(db, "select * from good", "Couldn't find series: good");
        await Server.ListSeriesShouldBeEmptyAsync(db);
    }

    [Fact]
    public async Task Write_AFailedWriteLeavesEarlierDataUntouched()
    {
        var db = await fixture.NewDatabaseAsync();
        const string First = """[{"name":"s","columns":["time","sequence_number","v"],"points":[[1000,1,1]]}]""";
        await Server.WriteAsync(db, First);
        (await Server.TryWriteAsync(db, """[{"name":"s","columns":["time","sequence_number","v"],"points":[[1000,1,99],[2000,1,2]]},{"name":"s","columns":["v"],"points":[[1,2]]}]"""))
            .ShouldHave(HttpStatusCode.BadRequest, "invalid payload");
        await Server.QueryShouldBeAsync(db, "select * from s", First);
    }
}
