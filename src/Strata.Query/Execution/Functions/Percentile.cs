using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>percentile(x, P)</c>: nearest rank over the sorted numeric values, index ⌊n·P/100 + 0.5⌋ − 1; an index
/// outside the values gives 0 (<c>percentile(x, 10)</c> of one value is 0), no numeric value gives the empty
/// value (§7.5). <c>median(x)</c> is P = 50 under its own column name.
/// </summary>
public sealed class Percentile(string column, Parsing.Ast.Expr? argument, double percent) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new State(percent);

    private sealed class State(double percent) : AggregateState
    {
        private readonly List<double> _values = [];

        public override void Add(long time, FieldValue value)
        {
            if (value.IsNumeric)
            {
                _values.Add(value.ToDouble());
            }
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty)
        {
            if (_values.Count == 0)
            {
                EmitOne(rows, empty);
                return;
            }

            _values.Sort();
            var index = (int)Math.Floor((_values.Count * percent / 100.0) + 0.5) - 1;
            EmitOne(rows, FieldValue.FromDouble(index >= 0 && index < _values.Count ? _values[index] : 0));
        }
    }
}
