using Strata.Core;
using Strata.Query.Execution.Expressions;
using Strata.Query.Planning;

namespace Strata.Query.Execution;

/// <summary>
/// A where condition compiled against a row layout, so filtering a row costs array reads and virtual calls instead
/// of name lookups and pattern matching (same semantics as <see cref="ConditionEvaluator"/>, which it delegates the
/// comparisons to). A column the row does not have fails the query when the first row is filtered, as 0.8 does.
/// </summary>
internal abstract class RowCondition
{
    public abstract bool Matches(ReadOnlySpan<FieldValue> row);

    public static RowCondition Compile(Condition condition, IReadOnlyList<string> columns, string? queryText)
    {
        int Position(string name)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        RowOperand Operand(Operand operand) => operand switch
        {
            LiteralOperand literal => new LiteralValue(literal.Value),
            ColumnOperand column when Position(column.Name) is var p and >= 0 => new ColumnValue(p),
            ColumnOperand column => new MissingColumn(column.Name, queryText),
            ExpressionOperand expression => new ExpressionValue(CompileExpression(expression, Position, queryText)),
            _ => throw new InvalidOperationException("BUG: unknown operand " + operand.GetType().Name),
        };

        RowCondition Build(Condition c) => c switch
        {
            TrueCondition => Always.Instance,
            AndCondition and => new And(Build(and.Left), Build(and.Right)),
            OrCondition or => new Or(Build(or.Left), Build(or.Right)),
            CompareCondition compare => new Compare(compare.Op, Operand(compare.Left), Operand(compare.Right)),
            RegexCondition regex => new RegexMatch(Operand(regex.Left), regex.Pattern, regex.Negated),
            InCondition @in => new In(Operand(@in.Left), @in.Values.Select(Operand).ToArray()),
            _ => throw new InvalidOperationException("BUG: unknown condition " + c.GetType().Name),
        };

        return Build(condition);
    }

    private static ValueExpression CompileExpression(ExpressionOperand expression, Func<string, int> position, string? queryText)
    {
        var columns = new List<string>();
        Planner.CollectColumns(expression.Expr, columns);
        foreach (var column in columns)
        {
            if (position(column) < 0)
            {
                return new MissingExpression(column, queryText);
            }
        }

        return ValueExpression.Compile(expression.Expr, position);
    }

    private sealed class Always : RowCondition
    {
        public static readonly Always Instance = new();

        public override bool Matches(ReadOnlySpan<FieldValue> row) => true;
    }

    private sealed class And(RowCondition left, RowCondition right) : RowCondition
    {
        public override bool Matches(ReadOnlySpan<FieldValue> row) => left.Matches(row) && right.Matches(row);
    }

    private sealed class Or(RowCondition left, RowCondition right) : RowCondition
    {
        public override bool Matches(ReadOnlySpan<FieldValue> row) => left.Matches(row) || right.Matches(row);
    }

    private sealed class Compare(CompareOp op, RowOperand left, RowOperand right) : RowCondition
    {
        public override bool Matches(ReadOnlySpan<FieldValue> row) => ConditionEvaluator.Compare(op, left.Value(row), right.Value(row));
    }

    private sealed class RegexMatch(RowOperand left, System.Text.RegularExpressions.Regex pattern, bool negated) : RowCondition
    {
        public override bool Matches(ReadOnlySpan<FieldValue> row) =>
            left.Value(row) is { Type: FieldType.String } s && pattern.IsMatch(s.AsString) != negated;
    }

    private sealed class In(RowOperand left, RowOperand[] values) : RowCondition
    {
        public override bool Matches(ReadOnlySpan<FieldValue> row)
        {
            var l = left.Value(row);
            foreach (var operand in values)
            {
                var value = operand.Value(row);
                if (!ConditionEvaluator.Comparable(l, value))
                {
                    // 0.8 stops at the first value it cannot compare (query-language.md §6.6).
                    return false;
                }

                if (ConditionEvaluator.Compare(CompareOp.Equal, l, value))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private abstract class RowOperand
    {
        public abstract FieldValue Value(ReadOnlySpan<FieldValue> row);
    }

    private sealed class LiteralValue(FieldValue value) : RowOperand
    {
        public override FieldValue Value(ReadOnlySpan<FieldValue> row) => value;
    }

    private sealed class ColumnValue(int position) : RowOperand
    {
        public override FieldValue Value(ReadOnlySpan<FieldValue> row) => row[position];
    }

    private sealed class ExpressionValue(ValueExpression expression) : RowOperand
    {
        public override FieldValue Value(ReadOnlySpan<FieldValue> row) => expression.Evaluate(row);
    }

    private sealed class MissingColumn(string name, string? queryText) : RowOperand
    {
        public override FieldValue Value(ReadOnlySpan<FieldValue> row)
        {
            ConditionEvaluator.ThrowMissingColumn(name, queryText);
            return default;
        }
    }

    private sealed class MissingExpression(string name, string? queryText) : ValueExpression
    {
        public override FieldValue Evaluate(ReadOnlySpan<FieldValue> row)
        {
            ConditionEvaluator.ThrowMissingColumn(name, queryText);
            return default;
        }
    }
}
