using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>derivative(x)</c>: (v_last − v_first) / (t_last − t_first in seconds) over the first and last numeric values
/// in query order. A group with exactly one numeric value yields no row at all (so the whole row disappears, even
/// with fill); none gives the empty value; equal times give NaN, printed null (§7.5).
/// </summary>
public sealed class Derivative(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private int _count;
        private double _firstValue;
        private long _firstTime;
        private double _lastValue;
        private long _lastTime;

        public override void Add(long time, FieldValue value)
        {
            if (!value.IsNumeric)
            {
                return;
            }

            if (_count++ == 0)
            {
                _firstValue = value.ToDouble();
                _firstTime = time;
            }
            else
            {
                _lastValue = value.ToDouble();
                _lastTime = time;
            }
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty)
        {
            switch (_count)
            {
                case 0:
                    EmitOne(rows, empty);
                    break;
                case 1:
                    break;
                default:
                    var seconds = (_lastTime - _firstTime) / 1_000_000.0;
                    EmitOne(rows, FieldValue.FromDouble((_lastValue - _firstValue) / seconds));
                    break;
            }
        }
    }
}
