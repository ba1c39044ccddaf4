using Strata.Core;
using Strata.Query.Planning;

namespace Strata.Query.Execution;

/// <summary>
/// Evaluates where conditions on one row with 0.8's coercion rules (query-language.md §6.6): int and float compare
/// numerically, strings byte-wise, bools only with = and &lt;&gt;; any other pairing (null included) matches neither
/// the operator nor its negation. A bool compared with a non-bool is "no match" (Strata choice; 0.8.8 panicked).
/// </summary>
public static class ConditionEvaluator
{
    /// <summary>Looks a column up in the row being filtered; false when the series has no such column.</summary>
    public delegate bool ColumnLookup(string column, out FieldValue value);

    /// <param name="queryText">The normalised query for error messages; null for joined rows, whose errors carry no query (§8.2).</param>
    public static bool Evaluate(Condition condition, ColumnLookup lookup, string? queryText) => condition switch
    {
        TrueCondition => true,
        AndCondition and => Evaluate(and.Left, lookup, queryText) && Evaluate(and.Right, lookup, queryText),
        OrCondition or => Evaluate(or.Left, lookup, queryText) || Evaluate(or.Right, lookup, queryText),
        CompareCondition compare => Compare(compare.Op, Resolve(compare.Left, lookup, queryText), Resolve(compare.Right, lookup, queryText)),
        RegexCondition regex => Resolve(regex.Left, lookup, queryText) is { Type: FieldType.String } s && regex.Pattern.IsMatch(s.AsString) != regex.Negated,
        InCondition @in => In(Resolve(@in.Left, lookup, queryText), @in.Values, lookup, queryText),
        _ => throw new InvalidOperationException("BUG: unknown condition " + condition.GetType().Name),
    };

    private static bool In(FieldValue left, IReadOnlyList<Operand> values, ColumnLookup lookup, string? queryText)
    {
        foreach (var operand in values)
        {
            var value = Resolve(operand, lookup, queryText);
            if (!Comparable(left, value))
            {
                // 0.8 stops at the first value it cannot compare (query-language.md §6.6).
                return false;
            }

            if (Compare(CompareOp.Equal, left, value))
            {
                return true;
            }
        }

        return false;
    }

    private static FieldValue Resolve(Operand operand, ColumnLookup lookup, string? queryText)
    {
        if (operand is LiteralOperand literal)
        {
            return literal.Value;
        }

        if (operand is ExpressionOperand expression)
        {
            return Expressions.ValueExpression.Evaluate(expression.Expr, name => Resolve(new ColumnOperand(name), lookup, queryText));
        }

        var name = ((ColumnOperand)operand).Name;
        if (!lookup(name, out var value))
        {
            ThrowMissingColumn(name, queryText);
        }

        return value;
    }

    /// <summary>0.8's error for a where column the series does not have, raised only once a point is filtered (§6.6).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal static void ThrowMissingColumn(string name, string? queryText) =>
        throw StrataException.BadRequest(queryText is null
            ? $"Cannot find column {name}"
            : $"Error while filtering points: Cannot find column {name} [query = {queryText}]");

    internal static bool Comparable(FieldValue a, FieldValue b) =>
        (a.IsNumeric && b.IsNumeric) || (a.Type == b.Type && a.Type is FieldType.String or FieldType.Bool);

    public static bool Compare(CompareOp op, FieldValue a, FieldValue b)
    {
        int order;
        if (a.Type == FieldType.Int64 && b.Type == FieldType.Int64)
        {
            order = a.AsInt64.CompareTo(b.AsInt64);
        }
        else if (a.IsNumeric && b.IsNumeric)
        {
            var x = a.ToDouble();
            var y = b.ToDouble();
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                return false;
            }

            order = x.CompareTo(y);
        }
        else if (a.Type == FieldType.String && b.Type == FieldType.String)
        {
            order = string.CompareOrdinal(a.AsString, b.AsString);
        }
        else if (a.Type == FieldType.Bool && b.Type == FieldType.Bool)
        {
            return op switch
            {
                CompareOp.Equal => a.AsBool == b.AsBool,
                CompareOp.NotEqual => a.AsBool != b.AsBool,
                _ => false,
            };
        }
        else
        {
            return false;
        }

        return op switch
        {
            CompareOp.Equal => order == 0,
            CompareOp.NotEqual => order != 0,
            CompareOp.Less => order < 0,
            CompareOp.LessOrEqual => order <= 0,
            CompareOp.Greater => order > 0,
            _ => order >= 0,
        };
    }
}
