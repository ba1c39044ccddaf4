using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// The N best values of a group for <c>top</c> (largest first) and <c>bottom</c> (smallest first), duplicates kept,
/// values keeping their type (§7.5 "top / bottom details"). 0.8.8 returned the point's first column instead of x
/// once N values were kept; Strata always uses x. Values of different types rank numbers before strings; null and
/// bool values (which 0.8 turned into null) rank last.
/// </summary>
internal sealed class TopBottomState(int limit, bool top) : AggregateState
{
    private readonly List<FieldValue> _kept = [];
    private bool _any;

    public override void Add(long time, FieldValue value)
    {
        _any = true;
        if (value.Type is not (FieldType.Int64 or FieldType.Double or FieldType.String))
        {
            value = FieldValue.Null;
        }

        if (_kept.Count == limit)
        {
            // top replaces the worst kept value only when strictly better, bottom also when equal (0.8.8).
            var versusWorst = Better(value, _kept[^1]);
            if (versusWorst < 0 || (versusWorst == 0 && top))
            {
                return;
            }

            _kept.RemoveAt(_kept.Count - 1);
        }

        var position = _kept.Count;
        while (position > 0 && Better(value, _kept[position - 1]) > 0)
        {
            position--;
        }

        _kept.Insert(position, value);
    }

    public override void Emit(List<FieldValue[]> rows, FieldValue empty)
    {
        if (!_any)
        {
            EmitOne(rows, empty);
            return;
        }

        foreach (var value in _kept)
        {
            EmitOne(rows, value);
        }
    }

    /// <summary>Positive when a ranks before b.</summary>
    private int Better(FieldValue a, FieldValue b)
    {
        var rank = Rank(b).CompareTo(Rank(a));
        if (rank != 0)
        {
            return rank;
        }

        var order = a.Type switch
        {
            FieldType.Int64 or FieldType.Double => a.ToDouble().CompareTo(b.ToDouble()),
            FieldType.String => string.CompareOrdinal(a.AsString, b.AsString),
            _ => 0,
        };
        return top ? order : -order;
    }

    private static int Rank(FieldValue value) => value.Type switch
    {
        FieldType.Int64 or FieldType.Double => 0,
        FieldType.String => 1,
        _ => 2,
    };
}
