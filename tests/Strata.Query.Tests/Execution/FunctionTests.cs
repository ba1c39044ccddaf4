using Strata.Core;
using Strata.Query.Execution.Functions;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Tests.Execution;

/// <summary>Each function's state over a group of values, with 0.8's edge cases (query-language.md §7.5).</summary>
public sealed class FunctionTests
{
    private static readonly FieldValue Fill = FieldValue.FromInt64(-1);

    private static List<FieldValue[]> Run(string call, params object?[] values)
    {
        var select = (SelectStatement)QueryParser.Parse($"select {call} from t")[0];
        var item = select.Columns[0];
        var function = item is AliasedExpr aliased
            ? FunctionRegistry.Create((FunctionCall)aliased.Expr, aliased.Alias)
            : FunctionRegistry.Create((FunctionCall)item, alias: null);
        var state = function.NewState();
        for (var i = 0; i < values.Length; i++)
        {
            state.Add(i * 1_000_000L, values[i] switch
            {
                null => FieldValue.Null,
                long l => FieldValue.FromInt64(l),
                int n => FieldValue.FromInt64(n),
                double d => FieldValue.FromDouble(d),
                string s => FieldValue.FromString(s),
                bool b => FieldValue.FromBool(b),
                _ => throw new ArgumentException("value type"),
            });
        }

        var rows = new List<FieldValue[]>();
        state.Emit(rows, Fill);
        return rows;
    }

    private static string Show(List<FieldValue[]> rows) => string.Join(" | ", rows.Select(r => string.Join(",", r.Select(v => v.ToString()))));

    [Theory]
    [InlineData("count(v)", new object?[] { 1, null, "x" }, "3")]
    [InlineData("count(v)", new object?[0], "-1")]
    [InlineData("count(distinct(v))", new object?[] { 1, 1.0, 2, null }, "2")]
    [InlineData("count(distinct(v))", new object?[] { null, null }, "-1")]
    [InlineData("sum(v)", new object?[] { 1, 2.5, null, "x", true }, "3.5")]
    [InlineData("sum(v)", new object?[] { 0.1, 0.2, 0.3 }, "0.6")] // exact, rounded once: 0.8.8 added in order, 0.6000000000000001
    [InlineData("mean(v)", new object?[] { 0.1, 0.2, 0.3 }, "0.19999999999999998")] // 0.6 / 3
    [InlineData("mean(v)", new object?[] { 1, 2, 3, null }, "1.5")]
    [InlineData("min(v)", new object?[] { "x", null }, "1.7976931348623157E+308")]
    [InlineData("max(v)", new object?[] { 3, 7.5, -1 }, "7.5")]
    [InlineData("stddev(v)", new object?[] { 2, 4, 4, 4, 5, 5, 7, 9 }, "2")]
    [InlineData("stddev(v)", new object?[] { "x" }, "-1")]
    [InlineData("median(v)", new object?[] { 4, 1, 3, 2 }, "2")]
    [InlineData("percentile(v, 10)", new object?[] { 5 }, "0")]
    [InlineData("percentile(v, '95')", new object?[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, "10")]
    [InlineData("first(v)", new object?[] { null, 2 }, "null")]
    [InlineData("last(v)", new object?[] { 1, "z" }, "z")]
    [InlineData("difference(v)", new object?[] { 10, "x", 4 }, "-6")]
    [InlineData("difference(v)", new object?[] { 10 }, "-1")]
    [InlineData("derivative(v)", new object?[] { 10, 4 }, "-6")]
    [InlineData("derivative(v)", new object?[] { 10 }, "")]
    [InlineData("derivative(v)", new object?[] { "x" }, "-1")]
    [InlineData("mode(v)", new object?[] { null, null, 1, 1, "a" }, "1 | null")]
    [InlineData("mode(v)", new object?[] { 2, 2.0, true }, "2")]
    [InlineData("distinct(v)", new object?[] { "b", 3, 3.0, true, null, "a" }, "true | 3 | a | b")]
    [InlineData("distinct(v)", new object?[] { null }, "")]
    [InlineData("top(v, 2)", new object?[] { 1, 5, 3, 5 }, "5 | 5")]
    [InlineData("bottom(v, 3)", new object?[] { 4, 2.5, "s", 1, null }, "1 | 2.5 | 4")]
    [InlineData("top(v, 3)", new object?[] { "a", null, 2 }, "2 | a | null")]
    [InlineData("histogram(v, 2.0, -3)", new object?[] { -3, -2, -1, 0, 1, 2, 3 }, "-3,2 | -1,2 | 1,2 | 3,1")]
    [InlineData("histogram(v, 1.0, -1, 0)", new object?[] { -3, -2, -1, 0, 1, 2, 3 }, "-1,1 | 0,1")]
    [InlineData("histogram(v, 10, 0, 30)", new object?[] { 5, "x", 25 }, "0,2 | 10,0 | 20,1 | 30,0")]
    [InlineData("histogram(v)", new object?[0], "null,0")]
    public void Function_ReturnsItsRowsForAGroup(string call, object?[] values, string expected) =>
        Show(Run(call, values)).ShouldBe(expected);

    [Fact]
    public void Histogram_AliasPrefixesBothColumns()
    {
        var select = (SelectStatement)QueryParser.Parse("select histogram(v) as h from t")[0];
        var aliased = (AliasedExpr)select.Columns[0];
        FunctionRegistry.Create((FunctionCall)aliased.Expr, aliased.Alias).Columns.ShouldBe(["h_bucket_start", "h_count"]);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("NULL")]
    public void ParseFill_AcceptsNullInAnyCase(string text) =>
        FunctionRegistry.ParseFill(new ColumnRef(text)).IsNull.ShouldBeTrue();

    [Fact]
    public void ParseFill_SaturatesHugeIntegers() =>
        FunctionRegistry.ParseFill(new NumberLiteral("99999999999999999999", IsInteger: true)).AsInt64.ShouldBe(long.MaxValue);
}
