using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Tests.Parsing;

/// <summary>
/// Table tests for <see cref="QueryParser"/>. Syntax-error messages and positions were checked against
/// 0.8.8's own grammar (query.yacc/query.lex built with bison 3.8 and flex, $end/$undefined spelled as
/// 0.8.8's bison did) and against query-language.md §12.1 / query-examples.md §14.
/// </summary>
public class ParserTests
{
    private static Statement One(string query)
    {
        var statements = QueryParser.Parse(query);
        statements.Count.ShouldBe(1);
        return statements[0];
    }

    private static SelectStatement Select(string query) => One(query).ShouldBeOfType<SelectStatement>();

    private static Expr Where(string query) => Select(query).Where.ShouldNotBeNull();

    private static Expr Column(string query) => Select(query).Columns.ShouldHaveSingleItem();

    private static ColumnRef Col(string name) => new(name);

    private static NumberLiteral Int(string text) => new(text, IsInteger: true);

    private static BinaryExpr Bin(BinaryOp op, Expr left, Expr right) => new(op, left, right);

    // ---- every statement kind, clause, clause order and literal form: parse, then print canonically ----

    [Theory]
    [InlineData("select * from cpu", "select * from cpu")]
    [InlineData("SELECT * FROM cpu", "select * from cpu")]
    [InlineData("select value, host from cpu", "select value, host from cpu")]
    [InlineData("select a,b from cpu", "select a, b from cpu")]
    [InlineData("select cpu.load.value from cpu.load", "select cpu.load.value from cpu.load")]
    [InlineData("select \"my col\", \"series\" from \"cpu-1\"", "select \"my col\", \"series\" from \"cpu-1\"")]
    [InlineData("select \"simple\" from \"a.b\"", "select simple from a.b")]
    [InlineData("select \"q\\\"x\" from t", "select \"q\\\"x\" from t")]
    [InlineData("select \"a\\b\" from t", "select ab from t")]
    [InlineData("select \"\" from \"\"", "select \"\" from \"\"")]
    [InlineData("select 1e5 from t", "select 1e5 from t")]
    [InlineData("select 1.5e3 from t", "select 1.5e3 from t")]
    [InlineData("select a + b * c from t", "select a + b * c from t")]
    [InlineData("select (a + b) * c from t", "select (a + b) * c from t")]
    [InlineData("select a - (b - c) from t", "select a - (b - c) from t")]
    [InlineData("select (a - b) - c from t", "select a - b - c from t")]
    [InlineData("select a / b / c from t", "select a / b / c from t")]
    [InlineData("select a/2, b/2 from x", "select a / 2, b / 2 from x")]
    [InlineData("select val1-val0 from t", "select val1 - val0 from t")]
    [InlineData("select -1 * value, - 1.5, -.5, 5., -1h, -.5s from t", "select -1 * value, -1.5, -.5, 5., -1h, -.5s from t")]
    [InlineData("select a - -1 from t", "select a - -1 from t")]
    [InlineData("select a--1 from t", "select a - -1 from t")]
    [InlineData("select * * 2, 2 * * from t", "select * * 2, 2 * * from t")]
    [InlineData("select 'it\"s', '', 'a\\b' from t", "select 'it\"s', '', 'a\\b' from t")]
    [InlineData("select true, FALSE, True from t", "select true, FALSE, True from t")]
    [InlineData("select 10s, 1.5h, 1u, 10ms, 1M, 1w, 1Y, 5.s from t", "select 10s, 1.5h, 1u, 10ms, 1M, 1w, 1Y, 5.s from t")]
    [InlineData("select count(value) from t", "select count(value) from t")]
    [InlineData("select COUNT(value) from t", "select COUNT(value) from t")]
    [InlineData("select count(distinct(x)), top(10, count(*)) from t", "select count(distinct(x)), top(10, count(*)) from t")]
    [InlineData("select percentile(value, 95), histogram(v, 1.0, -1, 2) from t", "select percentile(value, 95), histogram(v, 1.0, -1, 2) from t")]
    [InlineData("select f() from t", "select f() from t")]
    [InlineData("select \"my func\"(x) from t", "select \"my func\"(x) from t")]
    [InlineData("select count(a) + 1 from t", "select count(a) + 1 from t")]
    [InlineData("select mean(a + b) from t", "select mean(a + b) from t")]
    [InlineData("select count(x) as c from t", "select count(x) as c from t")]
    [InlineData("select max(a) as \"my max\" from t", "select max(a) as \"my max\" from t")]
    [InlineData("select (a + b) as s from t", "select (a + b) as s from t")]
    [InlineData("select ((a + b)) as s from t", "select (a + b) as s from t")]
    [InlineData("select (count(x)) as c from t", "select count(x) as c from t")]
    [InlineData("select ((a) as b) as c from t", "select (a) as c from t")]
    [InlineData("select 2 * count(x) as c from t", "select 2 * count(x) as c from t")]
    [InlineData("select count(x) as c * 2 from t", "select count(x) as c * 2 from t")]
    [InlineData("select (1 + 2) as arithmetic_result from foo;", "select (1 + 2) as arithmetic_result from foo")]
    [InlineData("select now(), NOW() from t", "select now(), now() from t")]
    [InlineData("select * from /.*/", "select * from /.*/")]
    [InlineData("select * from /^cpu\\..*/i", "select * from /^cpu\\..*/i")]
    [InlineData("select * from /a\\/b/", "select * from /a\\/b/")]
    [InlineData("select * from a, b.c, \"d e\"", "select * from a, b.c, \"d e\"")]
    [InlineData("select * from a merge b", "select * from merge(a, b)")]
    [InlineData("select * from merge(a, b, c)", "select * from merge(a, b, c)")]
    [InlineData("select * from merge(a)", "select * from merge(a)")]
    [InlineData("select * from merge(/x/i)", "select * from merge(/x/i)")]
    [InlineData("select * from a inner join b", "select * from a inner join b")]
    [InlineData("select * from join(a, b)", "select * from a inner join b")]
    [InlineData("select * from a as x inner join b.c as y.z", "select * from a as x inner join b.c as y.z")]
    [InlineData("select * from a inner join b as y", "select * from a inner join b as y")]
    [InlineData("select * from join(a, b, c)", "select * from join(a, b, c)")]
    [InlineData("select * from join(/cpu/)", "select * from join(/cpu/)")]
    [InlineData("select * from t where a = 1", "select * from t where a = 1")]
    [InlineData("select * from t where a <> 1 and b < 2 and c > 3 and d <= 4 and e >= 5", "select * from t where a <> 1 and b < 2 and c > 3 and d <= 4 and e >= 5")]
    [InlineData("select * from t where a =~ /x/ and b !~ /y/i", "select * from t where a =~ /x/ and b !~ /y/i")]
    [InlineData("select * from t where a in (1, 'a', b)", "select * from t where a in (1, 'a', b)")]
    [InlineData("select * from t where a IN (1)", "select * from t where a in (1)")]
    [InlineData("select * from t where a = 1 or b = 2 and c = 3", "select * from t where a = 1 or b = 2 and c = 3")]
    [InlineData("select * from t where (a = 1 or b = 2) and c = 3", "select * from t where (a = 1 or b = 2) and c = 3")]
    [InlineData("select * from t where a = 1 and (b = 2 and c = 3)", "select * from t where a = 1 and (b = 2 and c = 3)")]
    [InlineData("select * from t where ((a = 1))", "select * from t where a = 1")]
    [InlineData("select * from t where (a) = 1", "select * from t where a = 1")]
    [InlineData("select * from t where ((a)) + 1 > 2", "select * from t where a + 1 > 2")]
    [InlineData("select * from t where (a + b) * c > 1", "select * from t where (a + b) * c > 1")]
    [InlineData("select * from t where (a) as x = 1", "select * from t where (a) as x = 1")]
    [InlineData("select * from t where a", "select * from t where a")]
    [InlineData("select * from t where empty(x)", "select * from t where empty(x)")]
    [InlineData("select * from t where \"host\" = 'a'", "select * from t where host = 'a'")]
    [InlineData("select * from t where host = \"a\"", "select * from t where host = a")]
    [InlineData("select * from t where time > now() - 1h", "select * from t where time > now() - 1h")]
    [InlineData("select * from t where time > '2013-08-12 23:32:01.232' and time < 1388534400s", "select * from t where time > '2013-08-12 23:32:01.232' and time < 1388534400s")]
    [InlineData("select * from t where time = 1400497861762723u and sequence_number = 1", "select * from t where time = 1400497861762723u and sequence_number = 1")]
    [InlineData("select * from t where value = 15028546720250474530", "select * from t where value = 15028546720250474530")]
    [InlineData("select * from t where time > 13853965000000000.0", "select * from t where time > 13853965000000000.0")]
    [InlineData("select count(v) from t group by time(1h)", "select count(v) from t group by time(1h)")]
    [InlineData("select count(v) from t group by time(1h, 30m)", "select count(v) from t group by time(1h, 30m)")]
    [InlineData("select count(v) from t group by time(1h), host fill(0)", "select count(v) from t group by time(1h), host fill(0)")]
    [InlineData("select count(v) from t group by time(1h) fill(null)", "select count(v) from t group by time(1h) fill(null)")]
    [InlineData("select count(v) from t group by time(1h) fill(-42)", "select count(v) from t group by time(1h) fill(-42)")]
    [InlineData("select count(v) from t group by time(1h), fill(0)", "select count(v) from t group by time(1h), fill(0)")]
    [InlineData("select count(v) from t group by host, time(1m)", "select count(v) from t group by host, time(1m)")]
    [InlineData("select count(v) from t group by time(1h) where a > 1", "select count(v) from t where a > 1 group by time(1h)")]
    [InlineData("select count(v) from t where a > 1 group by time(1h)", "select count(v) from t where a > 1 group by time(1h)")]
    [InlineData("select * from t limit 10", "select * from t limit 10")]
    [InlineData("select * from t limit 0", "select * from t limit 0")]
    [InlineData("select * from t order asc", "select * from t order asc")]
    [InlineData("select * from t order desc", "select * from t order desc")]
    [InlineData("select * from t limit 10 order asc", "select * from t limit 10 order asc")]
    [InlineData("select * from t order asc limit 10", "select * from t limit 10 order asc")]
    [InlineData("select * from t LIMIT 1 ORDER ASC", "select * from t limit 1 order asc")]
    [InlineData("select * from t into t2", "select * from t into t2")]
    [InlineData("select * from events into events.[id]", "select * from events into events.[id]")]
    [InlineData("select * from /^stats\\..*/ into rollups.:series_name.5m", "select * from /^stats\\..*/ into rollups.:series_name.5m")]
    [InlineData("select * from t into [a]:b backfill(false)", "select * from t into [a]:b backfill(false)")]
    [InlineData("select * from t into \"a b\" backfill(0)", "select * from t into \"a b\" backfill(0)")]
    [InlineData("select count(value), host from events group by time(5m), host where time > now() - 1h and host = 'a' into events.[host].5m backfill(false)", "select count(value), host from events where time > now() - 1h and host = 'a' group by time(5m), host into events.[host].5m backfill(false)")]
    [InlineData("select a from b where c = 1 group by time(1h) fill(0) order asc limit 5 into d", "select a from b where c = 1 group by time(1h) fill(0) limit 5 order asc into d")]
    [InlineData("explain select a from b", "explain select a from b")]
    [InlineData("EXPLAIN SELECT a FROM b", "explain select a from b")]
    [InlineData("delete from cpu", "delete from cpu")]
    [InlineData("delete from /.*TEST_DELETE_QUERY.*/i where time < now() - 1d", "delete from /.*TEST_DELETE_QUERY.*/i where time < now() - 1d")]
    [InlineData("delete from a, b where time > 1s", "delete from a, b where time > 1s")]
    [InlineData("delete from a merge b", "delete from merge(a, b)")]
    [InlineData("drop series foo", "drop series foo")]
    [InlineData("drop series cpu.load", "drop series cpu.load")]
    [InlineData("drop series \"a b\"", "drop series \"a b\"")]
    [InlineData("DROP SERIES x", "drop series x")]
    [InlineData("drop continuous query 5", "drop continuous query 5")]
    [InlineData("list series", "list series")]
    [InlineData("list series /foo\\d+/i", "list series /foo\\d+/i")]
    [InlineData("list series include spaces", "list series include spaces")]
    [InlineData("list series /x/ include spaces", "list series /x/ include spaces")]
    [InlineData("list continuous queries", "list continuous queries")]
    [InlineData("List Continuous Queries", "list continuous queries")]
    [InlineData("select a\nfrom t", "select a from t")]
    [InlineData("sel\nect a from t;", null)]
    [InlineData("select a from x; select b from y;", "select a from x; select b from y")]
    [InlineData("select a from x; select b/2 from y", "select a from x; select b / 2 from y")]
    [InlineData("select a from x limit 1; list series; drop series x", "select a from x limit 1; list series; drop series x")]
    public void Parser_ParsesToCanonicalText(string query, string? canonical)
    {
        if (canonical is null)
        {
            Should.Throw<QueryParseException>(() => QueryParser.Parse(query));
            return;
        }
        var statements = QueryParser.Parse(query);
        QueryPrinter.Print(statements).ShouldBe(canonical);
        QueryParser.Parse(canonical).ShouldBe(statements);
    }

    // ---- AST shapes ----

    [Fact]
    public void Parser_MultiplicationBindsTighterThanAddition() =>
        Column("select a + b * c from t").ShouldBe(Bin(BinaryOp.Add, Col("a"), Bin(BinaryOp.Multiply, Col("b"), Col("c"))));

    [Fact]
    public void Parser_OperatorsAreLeftAssociative() =>
        Column("select a - b - c from t").ShouldBe(Bin(BinaryOp.Subtract, Bin(BinaryOp.Subtract, Col("a"), Col("b")), Col("c")));

    [Fact]
    public void Parser_ParenthesesGroup() =>
        Column("select (a + b) * c from t").ShouldBe(Bin(BinaryOp.Multiply, Bin(BinaryOp.Add, Col("a"), Col("b")), Col("c")));

    [Fact]
    public void Parser_FoldsUnaryMinusIntoTheLiteral()
    {
        Column("select - 1 from t").ShouldBe(Int("-1"));
        Column("select -1.5 from t").ShouldBe(new NumberLiteral("-1.5", IsInteger: false));
        Column("select -1s from t").ShouldBe(new DurationLiteral("-1s"));
        Column("select a-1 from t").ShouldBe(Bin(BinaryOp.Subtract, Col("a"), Int("1")));
    }

    [Fact]
    public void Parser_KeepsLiteralKindsAndText()
    {
        var columns = Select("select 1, 1.0, .5, 'x', true, 10s, *, now() from t").Columns;
        columns.ShouldBe([Int("1"), new NumberLiteral("1.0", false), new NumberLiteral(".5", false), new StringLiteral("x"), new BoolLiteral("true"), new DurationLiteral("10s"), new Wildcard(), new NowExpr()]);
    }

    [Fact]
    public void Parser_FunctionCallsNestAndTakeAliases() =>
        Column("select top(10, count(distinct(x))) as t10 from t").ShouldBe(
            new AliasedExpr(new FunctionCall("top", [Int("10"), new FunctionCall("count", [new FunctionCall("distinct", [Col("x")])])]), "t10"));

    [Fact]
    public void Parser_AliasOnParenthesisedValue() =>
        Column("select (a + b) as s from t").ShouldBe(new AliasedExpr(Bin(BinaryOp.Add, Col("a"), Col("b")), "s"));

    [Fact]
    public void Parser_AndBindsTighterThanOr() =>
        Where("select * from t where a = 1 or b = 2 and c = 3").ShouldBe(
            Bin(BinaryOp.Or, Bin(BinaryOp.Equal, Col("a"), Int("1")), Bin(BinaryOp.And, Bin(BinaryOp.Equal, Col("b"), Int("2")), Bin(BinaryOp.Equal, Col("c"), Int("3")))));

    [Fact]
    public void Parser_ParenthesisedConditionGroups() =>
        Where("select * from t where (a = 1 or b = 2) and c = 3").ShouldBe(
            Bin(BinaryOp.And, Bin(BinaryOp.Or, Bin(BinaryOp.Equal, Col("a"), Int("1")), Bin(BinaryOp.Equal, Col("b"), Int("2"))), Bin(BinaryOp.Equal, Col("c"), Int("3"))));

    [Fact]
    public void Parser_ParenthesisedValueStartsACondition() =>
        Where("select * from t where (a) + 1 > 2").ShouldBe(Bin(BinaryOp.Greater, Bin(BinaryOp.Add, Col("a"), Int("1")), Int("2")));

    [Fact]
    public void Parser_TimeExpressions() =>
        Where("select * from t where time > now() - 1d + 2h").ShouldBe(
            Bin(BinaryOp.Greater, Col("time"), Bin(BinaryOp.Add, Bin(BinaryOp.Subtract, new NowExpr(), new DurationLiteral("1d")), new DurationLiteral("2h"))));

    [Fact]
    public void Parser_RegexConditions() =>
        Where("select * from t where a =~ /x\\/y\\d/i").ShouldBe(Bin(BinaryOp.RegexMatch, Col("a"), new RegexLiteral("x/y\\d", CaseInsensitive: true)));

    [Fact]
    public void Parser_InList() =>
        Where("select * from t where s in (1, 'apple')").ShouldBe(new InExpr(Col("s"), [Int("1"), new StringLiteral("apple")]));

    [Fact]
    public void Parser_BothClauseOrdersGiveTheSameStatement()
    {
        Select("select count(v) from t group by time(1h) where a = 1 order asc limit 2")
            .ShouldBe(Select("select count(v) from t where a = 1 group by time(1h) limit 2 order asc"));
    }

    [Fact]
    public void Parser_SelectClauses()
    {
        var s = Select("explain select count(v) from t where a = 1 group by time(1h), host fill(0) limit 5 order asc into x.[host] backfill(false)");
        s.Explain.ShouldBeTrue();
        s.From.ShouldBe(FromClause.Series("t"));
        s.GroupBy.ShouldBe(new GroupByClause([new FunctionCall("time", [new DurationLiteral("1h")]), Col("host")], Int("0")));
        s.Limit.ShouldBe(5);
        s.Order.ShouldBe(SortOrder.Asc);
        s.Ascending.ShouldBeTrue();
        s.Into.ShouldBe(new IntoClause("x.[host]", new BoolLiteral("false")));
        s.Into!.Backfill.ShouldBeFalse();
        s.IsContinuousQuery.ShouldBeTrue();
    }

    [Fact]
    public void Parser_DefaultsWhenClausesAreAbsent()
    {
        var s = Select("select * from t");
        s.Where.ShouldBeNull();
        s.GroupBy.ShouldBeNull();
        s.Limit.ShouldBeNull();
        s.Order.ShouldBeNull();
        s.Ascending.ShouldBeFalse();
        s.Into.ShouldBeNull();
        s.Explain.ShouldBeFalse();
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("F", false)]
    [InlineData("0", false)]
    [InlineData("False", false)]
    public void Parser_BackfillTakesGoBools(string value, bool backfill) =>
        Select($"select * from t into x backfill({value})").Into!.Backfill.ShouldBe(backfill);

    [Fact]
    public void Parser_FromClauseForms()
    {
        Select("select * from a").From.ShouldBe(new FromClause(FromKind.Series, [new TableRef("a")]));
        Select("select * from a, b").From.ShouldBe(new FromClause(FromKind.Series, [new TableRef("a"), new TableRef("b")]));
        Select("select * from /x/i").From.ShouldBe(FromClause.ForRegex(new RegexLiteral("x", true)));
        Select("select * from a merge b").From.ShouldBe(new FromClause(FromKind.Merge, [new TableRef("a"), new TableRef("b")]));
        Select("select * from merge(a, b)").From.ShouldBe(new FromClause(FromKind.Merge, [new TableRef("a"), new TableRef("b")]));
        Select("select * from merge(/x/)").From.ShouldBe(new FromClause(FromKind.MergeRegex, [], new RegexLiteral("x", false)));
        Select("select * from a as x inner join b").From.ShouldBe(new FromClause(FromKind.Join, [new TableRef("a", "x"), new TableRef("b")]));
        Select("select * from join(a, b, c)").From.ShouldBe(new FromClause(FromKind.Join, [new TableRef("a"), new TableRef("b"), new TableRef("c")]));
        Select("select * from join(/x/)").From.ShouldBe(new FromClause(FromKind.JoinRegex, [], new RegexLiteral("x", false)));
    }

    [Fact]
    public void Parser_OtherStatements()
    {
        One("list series").ShouldBe(new ListSeriesStatement());
        One("list series /a/i include spaces").ShouldBe(new ListSeriesStatement(new RegexLiteral("a", true), IncludeSpaces: true));
        One("list continuous queries").ShouldBe(new ListContinuousQueriesStatement());
        One("drop continuous query 12").ShouldBe(new DropContinuousQueryStatement(12));
        One("drop continuous query 99999999999999999999").ShouldBe(new DropContinuousQueryStatement(int.MaxValue));
        One("drop series \"a.b c\"").ShouldBe(new DropSeriesStatement("a.b c"));
        One("delete from x where time < 5s").ShouldBe(new DeleteStatement(FromClause.Series("x"), Bin(BinaryOp.Less, Col("time"), new DurationLiteral("5s"))));
    }

    [Fact]
    public void Parser_ReturnsStatementsInTextOrder()
    {
        var statements = QueryParser.Parse("select a from x; list series; drop series y;");
        statements.Count.ShouldBe(3);
        statements[0].ShouldBeOfType<SelectStatement>();
        statements[1].ShouldBeOfType<ListSeriesStatement>();
        statements[2].ShouldBe(new DropSeriesStatement("y"));
    }

    [Fact]
    public void Parser_ResetsTheRegexStateAtSemicolon() =>
        // 0.8.8 fails here (the regex state of the first from clause leaks); query-language.md §1.7 recommends the reset.
        QueryParser.Parse("select a from x; select b/2 from y")[1].ShouldBe(
            new SelectStatement([Bin(BinaryOp.Divide, Col("b"), Int("2"))], FromClause.Series("y")));

    [Fact]
    public void Parser_LimitSaturates() => Select("select * from t limit 99999999999999999999999").Limit.ShouldBe(long.MaxValue);

    [Fact]
    public void Parser_NumberLiteralValues()
    {
        Int("15028546720250474530").TryGetInt64(out _).ShouldBeFalse();
        Int("15028546720250474530").ToDouble().ShouldBe(15028546720250474530d);
        Int("-9223372036854775808").TryGetInt64(out var min).ShouldBeTrue();
        min.ShouldBe(long.MinValue);
        new NumberLiteral("5.", false).ToDouble().ShouldBe(5d);
        new NumberLiteral(".5", false).TryGetInt64(out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("1u", 1_000L)]
    [InlineData("1U", 1_000L)]
    [InlineData("10ms", 10_000_000L)]
    [InlineData("10MS", 10_000_000L)]
    [InlineData("1s", 1_000_000_000L)]
    [InlineData("1S", 1_000_000_000L)]
    [InlineData("1m", 60_000_000_000L)]
    [InlineData("1M", 2_592_000_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("1H", 3_600_000_000_000L)]
    [InlineData("1d", 86_400_000_000_000L)]
    [InlineData("1w", 604_800_000_000_000L)]
    [InlineData("1W", 604_800_000_000_000L)]
    [InlineData("1y", 31_536_000_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("5.s", 5_000_000_000L)]
    [InlineData("-1s", -1_000_000_000L)]
    [InlineData("1.0000000001s", 1_000_000_000L)]
    [InlineData("10", 10L)]
    [InlineData("5", 5L)]
    [InlineData("99999999999999999999d", long.MaxValue)]
    [InlineData("-99999999999999999999d", long.MinValue)]
    public void Parser_DurationValuesAreNanoseconds(string text, long nanoseconds) =>
        new DurationLiteral(text).Nanoseconds.ShouldBe(nanoseconds);

    [Theory]
    [InlineData("1w", true)]
    [InlineData("1W", true)]
    [InlineData("1M", true)]
    [InlineData("1y", true)]
    [InlineData("1Y", true)]
    [InlineData("2w", false)]
    [InlineData("7d", false)]
    [InlineData("365d", false)]
    [InlineData("1m", false)]
    public void Parser_CalendarIntervals(string text, bool calendar) => new DurationLiteral(text).IsCalendarInterval.ShouldBe(calendar);

    [Fact]
    public void Parser_DurationMicrosecondsTruncate()
    {
        new DurationLiteral("1500u").Microseconds.ShouldBe(1500);
        new DurationLiteral("1999").Microseconds.ShouldBe(1);
        new DurationLiteral("-1.5u").Microseconds.ShouldBe(-1);
    }

    // ---- post-parse validation (§3) ----

    [Theory]
    [InlineData("select count(v) from t group by time(1h) foo(0)", "You can't use foo with group by")]
    [InlineData("select count(v) from t group by time(1h) fill(0, 1)", "`fill` accepts one argument only")]
    [InlineData("select count(v) from t group by time(1h) fill()", "`fill` accepts one argument only")]
    [InlineData("select * from t into x foo(true)", "You can't use foo with into")]
    [InlineData("select * from t into x backfill()", "`backfill` accepts only one argument")]
    [InlineData("select * from t into x backfill(true, false)", "`backfill` accepts only one argument")]
    [InlineData("select * from t into x backfill(yes)", "`backfill` accepts only bool arguments")]
    [InlineData("select * from t into x backfill(tRuE)", "`backfill` accepts only bool arguments")]
    [InlineData("select * from t into x backfill('true')", "`backfill` accepts only bool arguments")]
    [InlineData("select * from t into x backfill(2)", "`backfill` accepts only bool arguments")]
    [InlineData("select * from a; select count(v) from t group by time(1h) foo(0); select * from b group by x bar(1)", "You can't use foo with group by")]
    public void Parser_RejectsWithValidationMessage(string query, string message) =>
        Should.Throw<QueryValidationException>(() => QueryParser.Parse(query)).Message.ShouldBe(message);

    [Fact]
    public void Parser_SyntaxErrorsWinOverValidationErrors() =>
        Should.Throw<QueryParseException>(() => QueryParser.Parse("select count(v) from t group by time(1h) foo(0); select"));

    [Fact]
    public void Parser_BackfillIsCaseInsensitive() => QueryParser.Parse("select * from t into x BACKFILL(false)").Count.ShouldBe(1);

    [Fact]
    public void Parser_FillMustBeLowerCase() =>
        Should.Throw<QueryValidationException>(() => QueryParser.Parse("select count(v) from t group by time(1h) FILL(0)")).Message.ShouldBe("You can't use FILL with group by");

    // ---- 0.8's normalised text (§10.1) ----

    [Theory]
    [InlineData("select * from events into events.[id]", "select * from \"events\" into events.[id]")]
    [InlineData("select count(value) from events group by time(5m) into 5m.count.events", "select count(value) from \"events\" group by time(5m) into 5m.count.events")]
    [InlineData("select count(value), host from events group by time(5m), host where host = 'a' into events.[host].5m backfill(false)", "select count(value),host from \"events\" where host = 'a' group by time(5m),host into events.[host].5m backfill(false)")]
    [InlineData("select a * (b + c) as x from t into y", "select a * b + c as x from \"t\" into y")]
    [InlineData("select * from t where a = 1 and (b = 2 or c in (1, 2)) into y", "select * from \"t\" where (a = 1) AND ((b = 2) OR (c in 1)) into y")]
    [InlineData("select * from /x\\/y/i into y", "select * from /x/y/i into y")]
    [InlineData("select * from a merge b into y", "select * from merge(a,b) into y")]
    [InlineData("select * from a as x inner join b into y", "select * from a as x inner join b into y")]
    [InlineData("select * from join(a, b, c) into y", "select * from a inner join b into y")]
    [InlineData("select * from \"a b\", c limit 0 order desc into y", "select * from \"a b\",\"c\" into y")]
    [InlineData("select * from t limit 5 order asc into y", "select * from \"t\" limit 5 order asc into y")]
    [InlineData("select count(v) from t group by time(1h) fill(0) into y", "select count(v) from \"t\" group by time(1h) fill(0) into y")]
    [InlineData("delete from t where a = 1", "delete from \"t\" where a = 1")]
    [InlineData("list series /x/", "list series")]
    [InlineData("drop continuous query 3", "drop continuous query 3")]
    public void Printer_Prints08NormalisedText(string query, string expected) =>
        QueryPrinter.Print08(One(query)).ShouldBe(expected);
}
