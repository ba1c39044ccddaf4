using Strata.Core;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// 0.8's order of group-by values (query-language.md §7.2): <c>false</c>, <c>true</c>, integers, floats, strings,
/// null last; an int 1 and a float 1.0 are different values. Also used to give distinct and mode rows a stable order
/// where 0.8 left it to Go's map order.
/// </summary>
public sealed class ValueOrder : IComparer<FieldValue>
{
    public static readonly ValueOrder Instance = new();

    public int Compare(FieldValue x, FieldValue y)
    {
        var rank = Rank(x).CompareTo(Rank(y));
        if (rank != 0)
        {
            return rank;
        }

        return x.Type switch
        {
            FieldType.Int64 => x.AsInt64.CompareTo(y.AsInt64),
            FieldType.Double => x.AsDouble.CompareTo(y.AsDouble),
            FieldType.String => string.CompareOrdinal(x.AsString, y.AsString),
            _ => 0,
        };
    }

    private static int Rank(FieldValue value) => value.Type switch
    {
        FieldType.Bool => value.AsBool ? 1 : 0,
        FieldType.Int64 => 2,
        FieldType.Double => 3,
        FieldType.String => 4,
        _ => 5,
    };

    /// <summary>Ints as floats, as 0.8's mode and distinct key their values.</summary>
    public static FieldValue IntsAsFloats(FieldValue value) =>
        value.Type == FieldType.Int64 ? FieldValue.FromDouble(value.AsInt64) : value;
}
