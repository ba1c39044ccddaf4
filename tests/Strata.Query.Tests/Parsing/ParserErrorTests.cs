using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Tests.Parsing;

/// <summary>
/// Syntax errors of <see cref="QueryParser"/>: the exact bison message and caret position, checked against 0.8.8's
/// own grammar (query.yacc/query.lex built with bison 3.8 and flex) and query-language.md §12.1 /
/// query-examples.md §14.
/// </summary>
public class ParserErrorTests
{
    // ---- syntax errors: exact bison message and caret position ----

    [Theory]
    [InlineData("select value as v from cpu", "syntax error, unexpected AS, expecting FROM", 13, 2)]
    [InlineData("select * from cpu where value != 5", "syntax error, unexpected $undefined, expecting $end", 30, 1)]
    [InlineData("select * from cpu limit 1.5", "syntax error, unexpected FLOAT_VALUE, expecting INT_VALUE", 24, 3)]
    [InlineData("select * from cpu where host = 'a", "syntax error, unexpected $undefined", 31, 1)]
    [InlineData("drop  series cpu", "syntax error, unexpected SERIES, expecting CONTINUOUS_QUERY", 6, 6)]
    [InlineData("select * from cpu-1", "syntax error, unexpected '-', expecting $end", 17, 1)]
    [InlineData("select * from cpu order by time desc", "syntax error, unexpected BY, expecting ASC or DESC", 24, 2)]
    [InlineData("select * from cpu where value =~ 'a'", "syntax error, unexpected STRING_VALUE, expecting REGEX_STRING or INSENSITIVE_REGEX_STRING", 33, 3)]
    [InlineData("select * from cpu limit 5 where value > 1", "syntax error, unexpected WHERE, expecting $end", 26, 5)]
    [InlineData("list series /cpu", "syntax error, unexpected UNKNOWN, expecting $end", 13, 3)]
    [InlineData("select * from cpu as c", "syntax error, unexpected $end, expecting INNER", 21, 1)]
    [InlineData("select * from cpu;;", "syntax error, unexpected ';', expecting $end", 18, 1)]
    [InlineData("", "syntax error, unexpected $end", 0, 0)]
    [InlineData("select -1 * value group by", "syntax error, unexpected GROUP, expecting FROM", 18, 5)]
    [InlineData("select value / 4.0 as quarter from cpu", "syntax error, unexpected AS, expecting FROM", 19, 2)]
    [InlineData("select value from .t", "syntax error, unexpected $undefined", 18, 1)]
    [InlineData("select * from t limit", "syntax error, unexpected $end, expecting INT_VALUE", 16, 5)]
    [InlineData("foo", "syntax error, unexpected SIMPLE_NAME", 0, 3)]
    [InlineData("explain delete from t", "syntax error, unexpected DELETE, expecting SELECT", 8, 6)]
    [InlineData("drop continuous query", "syntax error, unexpected $end, expecting INT_VALUE", 5, 16)]
    [InlineData("drop continuous query -1", "syntax error, unexpected '-', expecting INT_VALUE", 22, 1)]
    [InlineData("drop series", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME", 0, 11)]
    [InlineData("drop series /x/", "syntax error, unexpected '/', expecting TABLE_NAME or SIMPLE_NAME", 12, 1)]
    [InlineData("list", "syntax error, unexpected $end, expecting SERIES or CONTINUOUS_QUERIES", 0, 4)]
    [InlineData("list continuous query", "syntax error, unexpected CONTINUOUS_QUERY, expecting SERIES or CONTINUOUS_QUERIES", 5, 16)]
    [InlineData("list series include", "syntax error, unexpected $end, expecting SPACES", 12, 7)]
    [InlineData("list series /x/ include foo", "syntax error, unexpected SIMPLE_NAME, expecting SPACES", 24, 3)]
    [InlineData("delete cpu", "syntax error, unexpected SIMPLE_NAME, expecting FROM", 7, 3)]
    [InlineData("select * from", "syntax error, unexpected $end", 9, 4)]
    [InlineData("select * from a,", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME", 15, 1)]
    [InlineData("select * from a, /x/", "syntax error, unexpected REGEX_STRING, expecting TABLE_NAME or SIMPLE_NAME", 19, 1)]
    [InlineData("select * from a merge", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME", 16, 5)]
    [InlineData("select * from merge", "syntax error, unexpected $end, expecting '('", 14, 5)]
    [InlineData("select * from merge(", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME or REGEX_STRING or INSENSITIVE_REGEX_STRING", 19, 1)]
    [InlineData("select * from merge(a", "syntax error, unexpected $end, expecting ',' or ')'", 20, 1)]
    [InlineData("select * from merge(a b", "syntax error, unexpected SIMPLE_NAME, expecting ',' or ')'", 22, 1)]
    [InlineData("select * from merge(/x/", "syntax error, unexpected $end, expecting ')'", 22, 1)]
    [InlineData("select * from join(/x/, b)", "syntax error, unexpected ',', expecting ')'", 22, 1)]
    [InlineData("select * from a as", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME", 16, 2)]
    [InlineData("select * from a as x inner", "syntax error, unexpected $end, expecting JOIN", 21, 5)]
    [InlineData("select * from a inner join", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME", 22, 4)]
    [InlineData("select * from a inner join b as", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME", 29, 2)]
    [InlineData("select * from a inner join b as 5", "syntax error, unexpected INT_VALUE, expecting TABLE_NAME or SIMPLE_NAME", 32, 1)]
    [InlineData("select * from t group", "syntax error, unexpected $end, expecting BY", 16, 5)]
    [InlineData("select * from t group by", "syntax error, unexpected $end", 22, 2)]
    [InlineData("select * from t group by a b", "syntax error, unexpected $end, expecting '('", 27, 1)]
    [InlineData("select * from t group by time(1h) fill(0) as x", "syntax error, unexpected AS, expecting $end", 42, 2)]
    [InlineData("select * from t into", "syntax error, unexpected $end, expecting TABLE_NAME or SIMPLE_NAME or INTO_NAME", 16, 4)]
    [InlineData("select * from t into x y", "syntax error, unexpected $end, expecting '('", 23, 1)]
    [InlineData("select * from t into x backfill(", "syntax error, unexpected $end", 31, 1)]
    [InlineData("select * from t order", "syntax error, unexpected $end, expecting ASC or DESC", 16, 5)]
    [InlineData("select * from t order asc order desc", "syntax error, unexpected ORDER, expecting $end", 26, 5)]
    [InlineData("select * from t limit 1 limit 2", "syntax error, unexpected LIMIT, expecting $end", 24, 5)]
    [InlineData("select -a from t", "syntax error, unexpected SIMPLE_NAME, expecting INT_VALUE or FLOAT_VALUE or DURATION", 8, 1)]
    [InlineData("select - - 1 from t", "syntax error, unexpected '-', expecting INT_VALUE or FLOAT_VALUE or DURATION", 9, 1)]
    [InlineData("select count(x) as 5 from t", "syntax error, unexpected INT_VALUE, expecting SIMPLE_NAME", 19, 1)]
    [InlineData("select count(x) as a.b from t", "syntax error, unexpected TABLE_NAME, expecting SIMPLE_NAME", 19, 3)]
    [InlineData("select count(x y) from t", "syntax error, unexpected SIMPLE_NAME, expecting ',' or ')'", 15, 1)]
    [InlineData("select (a b from t", "syntax error, unexpected SIMPLE_NAME", 10, 1)]
    [InlineData("select ( from t", "syntax error, unexpected FROM", 9, 4)]
    [InlineData("select a + from t", "syntax error, unexpected FROM", 11, 4)]
    [InlineData("select * from t where (a b", "syntax error, unexpected SIMPLE_NAME, expecting OR or AND or ')'", 25, 1)]
    [InlineData("select * from t where (a = 1", "syntax error, unexpected $end, expecting OR or AND or ')'", 27, 1)]
    [InlineData("select * from t where ((a) b", "syntax error, unexpected SIMPLE_NAME, expecting OR or AND or ')'", 27, 1)]
    [InlineData("select * from t where a in 1", "syntax error, unexpected INT_VALUE, expecting '('", 27, 1)]
    [InlineData("select * from t where a in (1 2", "syntax error, unexpected INT_VALUE, expecting ',' or ')'", 30, 1)]
    [InlineData("select * from t where a in (1,", "syntax error, unexpected $end", 29, 1)]
    [InlineData("select * from t where a = b = c", "syntax error, unexpected OPERATION_EQUAL, expecting $end", 28, 1)]
    [InlineData("select * from t where (a = 1) + 2", "syntax error, unexpected '+', expecting $end", 30, 1)]
    [InlineData("select * from t where a !~ b", "syntax error, unexpected SIMPLE_NAME, expecting REGEX_STRING or INSENSITIVE_REGEX_STRING", 27, 1)]
    [InlineData("select * from t where a =~ /x", "syntax error, unexpected UNKNOWN, expecting REGEX_STRING or INSENSITIVE_REGEX_STRING", 28, 1)]
    [InlineData("select * from t where a and", "syntax error, unexpected $end", 24, 3)]
    [InlineData("select \"a from t", "syntax error, unexpected $end", 8, 8)]
    [InlineData("select a from t where \"x", "syntax error, unexpected $end", 23, 1)]
    [InlineData("select * from t where a = 'x'y'", "syntax error, unexpected SIMPLE_NAME, expecting $end", 29, 1)]
    [InlineData("select * from t where a > 1;; select b from c", "syntax error, unexpected ';', expecting $end", 28, 1)]
    [InlineData("select a from b; foo", "syntax error, unexpected SIMPLE_NAME, expecting $end", 17, 3)]
    [InlineData("select a, from b", "syntax error, unexpected FROM", 10, 4)]
    [InlineData("select a from b where time > now() - 1h limit 10 order asc into c d", "syntax error, unexpected $end, expecting '('", 66, 1)]
    [InlineData("select * from t where a = 1 or", "syntax error, unexpected $end", 28, 2)]
    [InlineData("select * from t where", "syntax error, unexpected $end", 16, 5)]
    [InlineData("select value from t /x/ ", "syntax error, unexpected REGEX_STRING, expecting $end", 22, 1)]
    [InlineData("list series /a\\/b/ x", "syntax error, unexpected SIMPLE_NAME, expecting $end", 19, 1)]
    [InlineData("select * from t where a =~ /x\\/y/i x", "syntax error, unexpected SIMPLE_NAME, expecting $end", 35, 1)]
    [InlineData("select * from \"a\\\"b\" x", "syntax error, unexpected SIMPLE_NAME, expecting $end", 21, 1)]
    [InlineData("select * from \"a\\b\" x", "syntax error, unexpected SIMPLE_NAME, expecting $end", 20, 1)]
    [InlineData("select f(a)(b) from t", "syntax error, unexpected '(', expecting FROM", 11, 1)]
    [InlineData("select a.b(c) from t", "syntax error, unexpected '(', expecting FROM", 10, 1)]
    [InlineData("select \"f\"(x) as y z from t", "syntax error, unexpected SIMPLE_NAME, expecting FROM", 19, 1)]
    [InlineData("select * from a:b", "syntax error, unexpected INTO_NAME", 14, 3)]
    [InlineData("select * from t where a:b = 1", "syntax error, unexpected INTO_NAME", 22, 3)]
    [InlineData("select * from t where a = 1 )", "syntax error, unexpected ')', expecting $end", 28, 1)]
    [InlineData("select ) from t", "syntax error, unexpected ')'", 7, 1)]
    [InlineData("select ,", "syntax error, unexpected ','", 7, 1)]
    [InlineData("select * from t where time > now() -", "syntax error, unexpected $end", 35, 1)]
    [InlineData("select * from t where !", "syntax error, unexpected $undefined", 22, 1)]
    [InlineData("select * from t where a = 1 ; drop", "syntax error, unexpected $end, expecting CONTINUOUS_QUERY", 30, 4)]
    [InlineData("explain", "syntax error, unexpected $end, expecting SELECT", 0, 7)]
    [InlineData("explain select", "syntax error, unexpected $end", 8, 6)]
    [InlineData("select * from t group by time(1h), fill(0) x", "syntax error, unexpected $end, expecting '('", 43, 1)]
    [InlineData("select * from t into a:b x", "syntax error, unexpected $end, expecting '('", 25, 1)]
    [InlineData("select * from t into [x] backfill(true) y", "syntax error, unexpected SIMPLE_NAME, expecting $end", 40, 1)]
    public void Parser_RejectsWithBisonMessageAndPosition(string query, string message, int column, int length)
    {
        var e = Should.Throw<QueryParseException>(() => QueryParser.Parse(query));
        e.Message.ShouldBe(message);
        e.Column.ShouldBe(column);
        e.Length.ShouldBe(length);
        e.QueryText.ShouldBe(query);
    }

    [Fact]
    public void Parser_RejectsUnterminatedRegex() =>
        Should.Throw<QueryParseException>(() => QueryParser.Parse("list series /cpu")).ToThreeLineForm()
            .ShouldBe("syntax error, unexpected UNKNOWN, expecting $end\nlist series /cpu\n             ^^^");

    [Fact]
    public void Parser_RejectsUnterminatedString() =>
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select * from cpu where host = 'a")).ToThreeLineForm()
            .ShouldBe("syntax error, unexpected $undefined\nselect * from cpu where host = 'a\n                               ^");

    [Fact]
    public void Parser_RejectsAliasAfterBareExpression() =>
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select value / 4.0 as quarter from cpu")).ToThreeLineForm()
            .ShouldBe("syntax error, unexpected AS, expecting FROM\nselect value / 4.0 as quarter from cpu\n                   ^^");

    [Fact]
    public void Parser_RejectsEmptyQuery()
    {
        var e = Should.Throw<QueryParseException>(() => QueryParser.Parse(""));
        e.ToThreeLineForm().ShouldBe("syntax error, unexpected $end\n\n");
        e.ToShortForm().ShouldBe("Error at 1:0 1:0. syntax error, unexpected $end");
    }

    [Fact]
    public void Parser_RejectsMisspelledFrom() =>
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select * fromm foo")).Message
            .ShouldBe("syntax error, unexpected SIMPLE_NAME, expecting FROM");

    [Theory]
    [InlineData("select -1 * value group by", "Error at 0:18 0:23. syntax error, unexpected GROUP, expecting FROM")]
    [InlineData("foo", "Error at 1:0 0:3. syntax error, unexpected SIMPLE_NAME")]
    [InlineData("drop series a-b", "Error at 0:13 0:14. syntax error, unexpected '-', expecting $end")]
    public void Parser_ShortFormHasZeroBasedColumns(string query, string shortForm) =>
        Should.Throw<QueryParseException>(() => QueryParser.Parse(query)).ToShortForm().ShouldBe(shortForm);

    [Fact]
    public void Parser_CaretsCountBytes()
    {
        var e = Should.Throw<QueryParseException>(() => QueryParser.Parse("select 'é' from t where !"));
        e.Column.ShouldBe(25);
        e.ToThreeLineForm().ShouldEndWith("\n" + new string(' ', 25) + "^");
    }

    [Theory]
    [InlineData("select 'é' from t é")]
    [InlineData("select * from t\r\n")]
    [InlineData("select * from t\0")]
    public void Parser_RejectsCharactersTheGrammarDoesNotKnow(string query) =>
        Should.Throw<QueryParseException>(() => QueryParser.Parse(query)).Message.ShouldStartWith("syntax error, unexpected $undefined");

    [Fact]
    public void Parser_RejectsDeepNesting()
    {
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select " + new string('(', 10_000) + "a" + new string(')', 10_000) + " from t"))
            .Message.ShouldBe("memory exhausted");
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select * from t where " + new string('(', 10_000) + "a = 1" + new string(')', 10_000)))
            .Message.ShouldBe("memory exhausted");
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select " + string.Concat(Enumerable.Repeat("f(", 5_000)) + new string(')', 5_000) + " from t"))
            .Message.ShouldBe("memory exhausted");
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select a" + string.Concat(Enumerable.Repeat(" + a", 100_000)) + " from t"))
            .Message.ShouldBe("memory exhausted");
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select * from t where a = 1" + string.Concat(Enumerable.Repeat(" and a = 1", 100_000))))
            .Message.ShouldBe("memory exhausted");
    }

    [Fact]
    public void Parser_AcceptsNestingUpToTheLimit()
    {
        QueryParser.Parse("select " + new string('(', Parser.MaxNesting) + "a" + new string(')', Parser.MaxNesting) + " from t").Count.ShouldBe(1);
        QueryParser.Parse("select a" + string.Concat(Enumerable.Repeat(" + a", 900)) + " from t").Count.ShouldBe(1);
    }
}
