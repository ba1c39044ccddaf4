using Strata.Core;
using Strata.Query.Execution.Expressions;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Tests.Execution;

/// <summary>Arithmetic with 0.8's typing (query-language.md §6.8).</summary>
public sealed class ValueExpressionTests
{
    private static FieldValue Eval(string expression, FieldValue a, FieldValue b)
    {
        var select = (SelectStatement)QueryParser.Parse($"select {expression} from t")[0];
        var compiled = ValueExpression.Compile(select.Columns[0], name => name == "a" ? 0 : name == "b" ? 1 : -1);
        return compiled.Evaluate([a, b]);
    }

    private static FieldValue I(long v) => FieldValue.FromInt64(v);

    private static FieldValue D(double v) => FieldValue.FromDouble(v);

    [Theory]
    [InlineData("a / b", 7, 2, 3)]
    [InlineData("a / b", -7, 2, -3)]
    [InlineData("a * b + 1", 6, 7, 43)]
    [InlineData("a - b * 2", 1, 3, -5)]
    [InlineData("a / b", long.MinValue, -1, long.MinValue)]
    public void Integers_StayIntegersAndTruncate(string expression, long a, long b, long expected)
    {
        var value = Eval(expression, I(a), I(b));
        value.Type.ShouldBe(FieldType.Int64);
        value.AsInt64.ShouldBe(expected);
    }

    [Theory]
    [InlineData(0, double.NaN)]
    [InlineData(5, double.PositiveInfinity)]
    [InlineData(-5, double.PositiveInfinity)]
    public void IntegerDivisionByZero_IsNaNOrPositiveInfinity(long a, double expected) =>
        Eval("a / b", I(a), I(0)).AsDouble.ShouldBe(expected);

    [Fact]
    public void AnyFloatOperand_MakesAFloat() => Eval("a + b", I(1), D(0.5)).ShouldBe(D(1.5));

    [Theory]
    [InlineData("a + b", "+ operator doesn't work with STRING types")]
    [InlineData("a * 2", "* operator doesn't work with STRING types")]
    public void Strings_FailTheQuery(string expression, string message) =>
        Should.Throw<StrataException>(() => Eval(expression, FieldValue.FromString("x"), I(1))).Message.ShouldBe(message);

    [Fact]
    public void Nulls_FailTheQuery() =>
        Should.Throw<StrataException>(() => Eval("a - b", I(1), FieldValue.Null)).Message.ShouldBe("- operator doesn't work with null values");

    [Fact]
    public void Bools_FailTheQuery() =>
        Should.Throw<StrataException>(() => Eval("a / b", FieldValue.FromBool(true), I(1))).Message.ShouldBe("/ operator doesn't work with BOOL types");
}
