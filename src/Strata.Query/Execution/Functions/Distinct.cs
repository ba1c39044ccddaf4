using Strata.Core;
using Strata.Query.Execution.Aggregation;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>distinct(x)</c>: one row per distinct non-null value; ints become floats; a group of only nulls yields no row
/// (§7.5). 0.8 left the row order to map order; Strata sorts them in group-by value order.
/// </summary>
public sealed class Distinct(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private readonly HashSet<FieldValue> _values = [];
        private bool _any;

        public override void Add(long time, FieldValue value)
        {
            _any = true;
            if (!value.IsNull)
            {
                _values.Add(ValueOrder.IntsAsFloats(value));
            }
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty)
        {
            if (!_any)
            {
                EmitOne(rows, empty);
                return;
            }

            var values = new List<FieldValue>(_values);
            values.Sort(ValueOrder.Instance);
            foreach (var value in values)
            {
                EmitOne(rows, value);
            }
        }
    }
}
