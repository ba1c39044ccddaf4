using System.Diagnostics.CodeAnalysis;
using Strata.Core;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Execution.Expressions;

/// <summary>
/// An arithmetic expression of columns and numbers compiled against a row layout (query-language.md §6.8): int ∘ int
/// stays int (division truncates toward zero), any float operand makes a float, integer division by zero gives NaN
/// for 0/0 and +Inf otherwise. A string, bool or null operand fails the query with 400.
/// </summary>
public abstract class ValueExpression
{
    /// <summary>The value of the expression in one row whose values are laid out as the compile-time columns.</summary>
    public abstract FieldValue Evaluate(ReadOnlySpan<FieldValue> row);

    /// <param name="position">The row position of a column, or −1 when the row has no such column.</param>
    public static ValueExpression Compile(Expr expr, Func<string, int> position) => expr switch
    {
        ColumnRef column => new ColumnValue(position(column.Name)),
        NumberLiteral number => new Literal(number.TryGetInt64(out var i) ? FieldValue.FromInt64(i) : FieldValue.FromDouble(number.ToDouble())),
        StringLiteral text => new Literal(FieldValue.FromString(text.Value)),
        BoolLiteral boolean => new Literal(FieldValue.FromBool(boolean.Value)),
        BinaryExpr { IsArithmetic: true } binary => new Arithmetic(binary.Op, Compile(binary.Left, position), Compile(binary.Right, position)),
        _ => throw StrataException.BadRequest($"Value cannot be evaluated for type {Parsing.QueryPrinter.Print(expr)}"),
    };

    private sealed class ColumnValue(int position) : ValueExpression
    {
        public override FieldValue Evaluate(ReadOnlySpan<FieldValue> row) => position < 0 ? FieldValue.Null : row[position];
    }

    private sealed class Literal(FieldValue value) : ValueExpression
    {
        public override FieldValue Evaluate(ReadOnlySpan<FieldValue> row) => value;
    }

    /// <summary>
    /// Evaluates an expression directly, looking columns up by name (where-clause operands, which run once per row
    /// on rows whose layout the condition does not know).
    /// </summary>
    public static FieldValue Evaluate(Expr expr, Func<string, FieldValue> column) => expr switch
    {
        ColumnRef reference => column(reference.Name),
        BinaryExpr { IsArithmetic: true } binary => Apply(binary.Op, Evaluate(binary.Left, column), Evaluate(binary.Right, column)),
        _ => Compile(expr, static _ => -1).Evaluate([]),
    };

    /// <summary>One arithmetic operation with 0.8's typing (see the class summary).</summary>
    public static FieldValue Apply(BinaryOp op, FieldValue l, FieldValue r)
    {
        if (l.Type == FieldType.Int64 && r.Type == FieldType.Int64)
        {
            return Integers(op, l.AsInt64, r.AsInt64);
        }

        if (!l.IsNumeric || !r.IsNumeric)
        {
            ThrowWrongTypes(op, l, r);
        }

        var a = l.ToDouble();
        var b = r.ToDouble();
        return FieldValue.FromDouble(op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Subtract => a - b,
            BinaryOp.Multiply => a * b,
            _ => a / b,
        });
    }

    private sealed class Arithmetic(BinaryOp op, ValueExpression left, ValueExpression right) : ValueExpression
    {
        public override FieldValue Evaluate(ReadOnlySpan<FieldValue> row) => Apply(op, left.Evaluate(row), right.Evaluate(row));
    }

    private static FieldValue Integers(BinaryOp op, long a, long b) => op switch
    {
        BinaryOp.Add => FieldValue.FromInt64(unchecked(a + b)),
        BinaryOp.Subtract => FieldValue.FromInt64(unchecked(a - b)),
        BinaryOp.Multiply => FieldValue.FromInt64(unchecked(a * b)),
        _ when b == 0 => FieldValue.FromDouble(a == 0 ? double.NaN : double.PositiveInfinity),
        _ when b == -1 => FieldValue.FromInt64(unchecked(-a)),
        _ => FieldValue.FromInt64(a / b),
    };

    /// <summary>
    /// 0.8.8 named only same-typed pairs (<c>STRING</c>, <c>BOOL</c>) and garbled the rest; Strata names the
    /// offending type for every pairing.
    /// </summary>
    [DoesNotReturn]
    private static void ThrowWrongTypes(BinaryOp op, FieldValue l, FieldValue r)
    {
        var offending = l.IsNumeric ? r : l;
        var kind = offending.Type switch
        {
            FieldType.String => "STRING types",
            FieldType.Bool => "BOOL types",
            _ => "null values",
        };
        throw StrataException.BadRequest($"{BinaryExpr.OperatorText(op)} operator doesn't work with {kind}");
    }
}
