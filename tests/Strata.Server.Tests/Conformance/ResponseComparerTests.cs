using System.Net;
using System.Text.Json;

namespace Strata.Server.Tests.Conformance;

/// <summary>The comparison rules of query-examples.md's Conventions, so the suite is neither lax nor stricter than them.</summary>
public sealed class ResponseComparerTests
{
    private const string Cpu = """[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[2,1,40,"b"],[1,1,10,"a"]]}]""";

    private static Step JsonStep(string expected, bool columnsAnyOrder = false, bool rowsAnyOrder = false) =>
        new("GET", "/db/db1/series?u=root&p=root", null, "q", 200, "json", JsonDocument.Parse(expected).RootElement.Clone(), null, columnsAnyOrder, rowsAnyOrder, 0);

    private static Step TextStep(string match, string expected) =>
        new("GET", "/db/db1/series?u=root&p=root", null, "q", 400, match, null, expected, false, false, 0);

    [Theory]
    [InlineData("[[0,2]]", "[[0,2.0]]", true)]
    [InlineData("[[0,2]]", "[[0,2e0]]", true)]
    [InlineData("[[0,2]]", "[[0,3]]", false)]
    [InlineData("[[0,1.5028546720250474e+19]]", "[[0,15028546720250474000]]", true)]
    [InlineData("[[0,7335093126128605887]]", "[[0,7335093126128605887]]", true)]
    [InlineData("[[0,7335093126128605887]]", "[[0,7.335093126128606e+18]]", false)]
    [InlineData("[[0,7335093126128605887]]", "[[0,7335093126128605888]]", false)]
    [InlineData("[[0,null]]", "[[0,0]]", false)]
    [InlineData("[[0,\"1\"]]", "[[0,1]]", false)]
    [InlineData("[[0,true]]", "[[0,true]]", true)]
    public void Json_ComparesNumbersByValue(string expectedPoints, string actualPoints, bool equal)
    {
        var expected = $$"""[{"name":"s","columns":["time","v"],"points":{{expectedPoints}}}]""";
        var actual = $$"""[{"name":"s","columns":["time","v"],"points":{{actualPoints}}}]""";
        (ResponseComparer.Mismatch(JsonStep(expected), HttpStatusCode.OK, actual) is null).ShouldBe(equal);
    }

    [Theory]
    [InlineData(Cpu, true, true)]
    [InlineData("""[{"name":"cpu","columns":["time","sequence_number","host","value"],"points":[[2,1,"b",40],[1,1,"a",10]]}]""", true, true)]
    [InlineData("""[{"name":"cpu","columns":["time","sequence_number","host","value"],"points":[[2,1,"b",40],[1,1,"a",10]]}]""", false, false)]
    [InlineData("""[{"name":"cpu","columns":["sequence_number","time","value","host"],"points":[[1,2,40,"b"],[1,1,10,"a"]]}]""", true, false)]
    [InlineData("""[{"name":"cpu","columns":["time","sequence_number","host","value"],"points":[[2,1,40,"b"],[1,1,10,"a"]]}]""", true, false)]
    [InlineData("""[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[1,1,10,"a"],[2,1,40,"b"]]}]""", true, false)]
    [InlineData("""[{"columns":["time","sequence_number","value","host"],"name":"cpu","points":[[2,1,40,"b"],[1,1,10,"a"]]}]""", false, true)]
    [InlineData("""[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[2,1,40,"b"]]}]""", true, false)]
    [InlineData("""[{"name":"cpu","columns":["time","sequence_number","value","host"],"points":[[2,1,40,"b"],[1,1,10,"a"]],"extra":1}]""", true, false)]
    [InlineData("[]", true, false)]
    public void Json_MatchesColumnsByNameOnlyWhenAllowed(string actual, bool columnsAnyOrder, bool equal) =>
        (ResponseComparer.Mismatch(JsonStep(Cpu, columnsAnyOrder), HttpStatusCode.OK, actual) is null).ShouldBe(equal);

    [Fact]
    public void Json_OrigSeriesMustStayLast()
    {
        var expected = """[{"name":"merged","columns":["time","sequence_number","value","x","_orig_series"],"points":[[1,1,"a1",1,"a"]]}]""";
        var swapped = """[{"name":"merged","columns":["time","sequence_number","x","value","_orig_series"],"points":[[1,1,1,"a1","a"]]}]""";
        var moved = """[{"name":"merged","columns":["time","sequence_number","_orig_series","value","x"],"points":[[1,1,"a","a1",1]]}]""";
        ResponseComparer.Mismatch(JsonStep(expected, columnsAnyOrder: true), HttpStatusCode.OK, swapped).ShouldBeNull();
        ResponseComparer.Mismatch(JsonStep(expected, columnsAnyOrder: true), HttpStatusCode.OK, moved).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("[[0,\"b\"],[0,\"a\"]]", true)]
    [InlineData("[[0,\"a\"],[0,\"b\"]]", true)]
    [InlineData("[[0,\"a\"],[0,\"a\"]]", false)]
    [InlineData("[[0,\"a\"]]", false)]
    public void Json_RowsInAnyOrderAreAMultiset(string actualPoints, bool equal)
    {
        var expected = """[{"name":"cpu","columns":["time","mode"],"points":[[0,"a"],[0,"b"]]}]""";
        var actual = $$"""[{"name":"cpu","columns":["time","mode"],"points":{{actualPoints}}}]""";
        (ResponseComparer.Mismatch(JsonStep(expected, rowsAnyOrder: true), HttpStatusCode.OK, actual) is null).ShouldBe(equal);
    }

    [Theory]
    [InlineData("syntax error, unexpected AS, expecting FROM\nselect value as v from cpu\n             ^^", true)]
    [InlineData("syntax error, unexpected AS, expecting FROM or ','\nselect value as v from cpu\n             ^^", true)]
    [InlineData("syntax error, unexpected AS\nselect value as v from cpu\n             ^^", true)]
    [InlineData("syntax error, unexpected ASC, expecting FROM\nselect value as v from cpu\n             ^^", false)]
    [InlineData("syntax error, unexpected AS, expecting FROM\nselect value as v from cpu\n             ^", false)]
    [InlineData("syntax error, unexpected AS, expecting FROM\nselect value as v from cpu\n             ^^\n", false)]
    [InlineData("syntax error, unexpected AS, expecting FROM\nselect value as v from cpu", false)]
    public void SyntaxError_FirstLineUpToExpectingAndTwoLinesExact(string actual, bool equal)
    {
        var step = TextStep("syntax_error", "syntax error, unexpected AS, expecting FROM\nselect value as v from cpu\n             ^^");
        (ResponseComparer.Mismatch(step, HttpStatusCode.BadRequest, actual) is null).ShouldBe(equal);
    }

    [Fact]
    public void Text_IsExactAndStatusMatters()
    {
        var step = TextStep("text", "Couldn't find series: nosuch");
        ResponseComparer.Mismatch(step, HttpStatusCode.BadRequest, "Couldn't find series: nosuch").ShouldBeNull();
        ResponseComparer.Mismatch(step, HttpStatusCode.BadRequest, "Couldn't find series: nosuch\n").ShouldNotBeNull();
        ResponseComparer.Mismatch(step, HttpStatusCode.NotFound, "Couldn't find series: nosuch").ShouldNotBeNull();
    }
}
