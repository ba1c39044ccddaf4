using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>difference(x)</c>: last − first numeric value in query order (default descending order: oldest − newest),
/// as a float; fewer than two numeric values give the empty value, and the row is still emitted (§7.5).
/// </summary>
public sealed class Difference(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private int _count;
        private double _first;
        private double _last;

        public override void Add(long time, FieldValue value)
        {
            if (!value.IsNumeric)
            {
                return;
            }

            if (_count++ == 0)
            {
                _first = value.ToDouble();
            }
            else
            {
                _last = value.ToDouble();
            }
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty) =>
            EmitOne(rows, _count < 2 ? empty : FieldValue.FromDouble(_last - _first));
    }
}
