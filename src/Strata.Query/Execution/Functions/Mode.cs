using Strata.Core;
using Strata.Query.Execution.Aggregation;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>mode(x)</c>: every value tied for the highest frequency, one row each (§7.5). Works for strings, bools and
/// null (null can be the mode); ints become floats. 0.8 left the order of tied values to map order; Strata sorts
/// them in group-by value order.
/// </summary>
public sealed class Mode(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private readonly Dictionary<FieldValue, int> _counts = [];

        public override void Add(long time, FieldValue value)
        {
            var key = ValueOrder.IntsAsFloats(value);
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty)
        {
            if (_counts.Count == 0)
            {
                EmitOne(rows, empty);
                return;
            }

            var highest = 0;
            foreach (var count in _counts.Values)
            {
                highest = Math.Max(highest, count);
            }

            var modes = new List<FieldValue>();
            foreach (var (value, count) in _counts)
            {
                if (count == highest)
                {
                    modes.Add(value);
                }
            }

            modes.Sort(ValueOrder.Instance);
            foreach (var value in modes)
            {
                EmitOne(rows, value);
            }
        }
    }
}
