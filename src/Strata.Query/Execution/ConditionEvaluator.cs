using Strata.Core;
using Strata.Query.Planning;

namespace Strata.Query.Execution;

/// <summary>
/// 0.8's comparison rules for where conditions (query-language.md §6.6), used by <see cref="RowCondition"/>: int and
/// float compare numerically, strings byte-wise, bools only with = and &lt;&gt;; any other pairing (null included)
/// matches neither the operator nor its negation. A bool compared with a non-bool is "no match" (Strata choice;
/// 0.8.8 panicked).
/// </summary>
public static class ConditionEvaluator
{
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
