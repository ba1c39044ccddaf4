using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>stddev(x)</c>: the population standard deviation √(E[x²] − E[x]²) over the numeric values (§7.5); one value
/// gives 0, rounding can give NaN (printed null), and a group without numeric values gives the empty value.
/// </summary>
public sealed class Stddev(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private long _count;
        private double _total;
        private double _totalSquares;

        public override void Add(long time, FieldValue value)
        {
            if (value.IsNumeric)
            {
                var x = value.ToDouble();
                _count++;
                _total += x;
                _totalSquares += x * x;
            }
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty)
        {
            if (_count == 0)
            {
                EmitOne(rows, empty);
                return;
            }

            var mean = _total / _count;
            EmitOne(rows, FieldValue.FromDouble(Math.Sqrt((_totalSquares / _count) - (mean * mean))));
        }
    }
}
