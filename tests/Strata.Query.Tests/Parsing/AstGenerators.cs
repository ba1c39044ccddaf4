using CsCheck;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Tests.Parsing;

/// <summary>
/// CsCheck generators for ASTs that a query can express (query-language.md §2): no name or regex with
/// a backslash where 0.8 cannot keep one, no <c>'</c> in strings, aliases only on calls and
/// parenthesised values, comparisons only between values, a backfill value 0.8 accepts.
/// </summary>
internal static class AstGenerators
{
    private static Gen<string> Chars(string alphabet, int min, int max) =>
        Gen.Char[alphabet].Array[min, max].Select(a => new string(a));

    public static readonly Gen<string> Name = Gen.OneOf(
        Gen.OneOf("a", "value", "cpu.load", "time", "host", "series", "select", "from", "a b", "x\"y", "123", "10s",
            "1e5", "1.5e3", "", "é", ":x[y]", "a-b", "now", "fill", "in", "true", "foo.", "a\nb", "x;y", "/r/"),
        Chars("abcxyzAB_.09 -\":[]é/;\n", 0, 6));

    private static readonly Gen<string> Digits = Chars("0123456789", 1, 4);

    private static readonly Gen<string> Sign = Gen.OneOf("", "-");

    private static readonly Gen<NumberLiteral> IntLiteral =
        Gen.Select(Sign, Gen.OneOf(Digits, Gen.OneOf("9223372036854775808", "15028546720250474530")), (s, d) => new NumberLiteral(s + d, IsInteger: true));

    private static readonly Gen<string> FloatText = Gen.OneOf(
        Gen.Select(Digits, Digits, (a, b) => a + "." + b),
        Digits.Select(d => "." + d),
        Digits.Select(d => d + "."));

    private static readonly Gen<NumberLiteral> FloatLiteral = Gen.Select(Sign, FloatText, (s, f) => new NumberLiteral(s + f, IsInteger: false));

    private static readonly Gen<DurationLiteral> Duration = Gen.Select(Sign, Gen.OneOf(Digits, FloatText),
        Gen.OneOf("u", "s", "m", "h", "d", "w", "y", "ms", "M", "W", "Y", "S", "H", "D", "U", "MS", "mS"),
        (s, n, u) => new DurationLiteral(s + n + u));

    private static readonly Gen<StringLiteral> StringLit = Chars("ab \"\\/;é\n()", 0, 5).Select(s => new StringLiteral(s));

    private static readonly Gen<BoolLiteral> Bool = Gen.OneOf("true", "false", "TRUE", "False", "tRuE").Select(t => new BoolLiteral(t));

    public static readonly Gen<RegexLiteral> Regex = Gen.Select(
        Gen.OneOf(Chars("ab.*^$/\\d[]()é", 0, 6).Where(p => !p.EndsWith('\\')), Gen.OneOf(".*", "^cpu\\..*", "a\\/b", "x/y")),
        Gen.Bool, (p, i) => new RegexLiteral(p, i));

    private static readonly Gen<Expr> Leaf = Gen.OneOf<Expr>(
        Name.Select(n => (Expr)new ColumnRef(n)),
        IntLiteral.Select(x => (Expr)x),
        FloatLiteral.Select(x => (Expr)x),
        Duration.Select(x => (Expr)x),
        StringLit.Select(x => (Expr)x),
        Bool.Select(x => (Expr)x),
        Gen.Const<Expr>(new Wildcard()),
        Gen.Const<Expr>(new NowExpr()));

    private static readonly Gen<BinaryOp> Arithmetic = Gen.OneOf(BinaryOp.Add, BinaryOp.Subtract, BinaryOp.Multiply, BinaryOp.Divide);

    private static readonly Gen<BinaryOp> Comparison = Gen.OneOf(
        BinaryOp.Equal, BinaryOp.NotEqual, BinaryOp.Greater, BinaryOp.Less, BinaryOp.GreaterOrEqual, BinaryOp.LessOrEqual);

    /// <summary>A value: literal, column, arithmetic, call, aliased call or parenthesised value.</summary>
    public static Gen<Expr> Value(int depth)
    {
        if (depth <= 0)
        {
            return Leaf;
        }
        var inner = Value(depth - 1);
        var call = Gen.Select(Name.Where(n => !n.Equals("now", StringComparison.OrdinalIgnoreCase)), inner.Array[0, 3],
            (n, args) => (Expr)new FunctionCall(n, args));
        var nonAliased = Gen.Frequency(
            (4, Leaf),
            (2, Gen.Select(Arithmetic, inner, inner, (op, l, r) => (Expr)new BinaryExpr(op, l, r))),
            (2, call));
        // Never an alias of an alias: the parser collapses those, as 0.8 does.
        return Gen.Frequency(
            (6, nonAliased),
            (1, Gen.Select(nonAliased, Name, (e, a) => (Expr)new AliasedExpr(e, a))));
    }

    /// <summary>A where condition: comparisons, regex matches, in-lists, bare values, and/or.</summary>
    public static Gen<Expr> Condition(int depth)
    {
        var value = Value(2);
        var simple = Gen.Frequency(
            (4, Gen.Select(Comparison, value, value, (op, l, r) => (Expr)new BinaryExpr(op, l, r))),
            (1, Gen.Select(value, Gen.Bool, Regex, (l, negate, re) => (Expr)new BinaryExpr(negate ? BinaryOp.RegexNotMatch : BinaryOp.RegexMatch, l, re))),
            (1, Gen.Select(value, value.Array[1, 3], (l, vs) => (Expr)new InExpr(l, vs))),
            (1, value));
        if (depth <= 0)
        {
            return simple;
        }
        var inner = Condition(depth - 1);
        return Gen.Frequency(
            (3, simple),
            (2, Gen.Select(Gen.Bool, inner, inner, (and, l, r) => (Expr)new BinaryExpr(and ? BinaryOp.And : BinaryOp.Or, l, r))));
    }

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : class => Gen.OneOf(Gen.Const((T?)null), gen.Select(x => (T?)x));

    public static readonly Gen<FromClause> From = Gen.OneOf(
        Name.Array[1, 3].Select(ns => new FromClause(FromKind.Series, [.. ns.Select(n => new TableRef(n))])),
        Regex.Select(r => FromClause.ForRegex(r)),
        Name.Array[1, 3].Select(ns => new FromClause(FromKind.Merge, [.. ns.Select(n => new TableRef(n))])),
        Regex.Select(r => new FromClause(FromKind.MergeRegex, [], r)),
        Gen.Select(Name, Maybe(Name), Name, Maybe(Name), (a, x, b, y) => new FromClause(FromKind.Join, [new TableRef(a, x), new TableRef(b, y)])),
        Name.Array[1, 4].Where(ns => ns.Length != 2).Select(ns => new FromClause(FromKind.Join, [.. ns.Select(n => new TableRef(n))])),
        Regex.Select(r => new FromClause(FromKind.JoinRegex, [], r)));

    private static readonly Gen<Expr> Backfill = Gen.OneOf(
        Gen.OneOf("true", "True", "TRUE", "false", "False", "FALSE").Select(t => (Expr)new BoolLiteral(t)),
        Gen.OneOf("1", "0").Select(t => (Expr)new NumberLiteral(t, true)),
        Gen.OneOf("t", "T", "f", "F").Select(t => (Expr)new ColumnRef(t)));

    private static readonly Gen<long?> Limit = Gen.OneOf(Gen.Const((long?)null), Gen.Long[0, 1_000_000].Select(l => (long?)l), Gen.Const<long?>(long.MaxValue));

    private static readonly Gen<SortOrder?> Order = Gen.OneOf<SortOrder?>(null, SortOrder.Asc, SortOrder.Desc);

    public static readonly Gen<SelectStatement> Select =
        Gen.Select(Value(3).Array[1, 3], From, Maybe(Condition(2)),
            Maybe(Gen.Select(Value(2).Array[1, 3], Maybe(Value(1)), (es, fill) => new GroupByClause(es, fill))),
            Limit, Order,
            Maybe(Gen.Select(Name, Maybe(Backfill), (t, b) => new IntoClause(t, b))),
            Gen.Bool,
            (columns, from, where, groupBy, limit, order, into, explain) =>
                new SelectStatement(columns, from, where, groupBy, limit, order, into, explain));

    public static readonly Gen<Statement> Statement = Gen.Frequency(
        (6, Select.Select(s => (Statement)s)),
        (1, Gen.Select(From, Maybe(Condition(1)), (f, w) => (Statement)new DeleteStatement(f, w))),
        (1, Name.Select(n => (Statement)new DropSeriesStatement(n))),
        (1, Gen.Int[0, int.MaxValue].Select(i => (Statement)new DropContinuousQueryStatement(i))),
        (1, Gen.Select(Maybe(Regex), Gen.Bool, (r, s) => (Statement)new ListSeriesStatement(r, s))),
        (1, Gen.Const<Statement>(new ListContinuousQueriesStatement())));

    public static readonly Gen<Statement[]> Request = Statement.Array[1, 3];

    /// <summary>Prints a request the way tests show it on failure.</summary>
    public static string Show(Statement[] request) => QueryPrinter.Print(request);
}
