using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>max(x)</c>: the largest numeric value as a float; non-numeric values are skipped, and a group without any
/// numeric value gives <c>-1.7976931348623157e+308</c> as 0.8 does (§7.5).
/// </summary>
public sealed class Max(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override bool FoldsBlockStatistics => true;

    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private bool _any;
        private double _max = double.MinValue;

        public override void Add(long time, FieldValue value)
        {
            _any = true;
            if (value.IsNumeric && value.ToDouble() > _max)
            {
                _max = value.ToDouble();
            }
        }

        public override void AddBlock(in BlockSummary block)
        {
            _any = true;
            if (block.Max > _max)
            {
                _max = block.Max;
            }
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty) =>
            EmitOne(rows, _any ? FieldValue.FromDouble(_max) : empty);
    }
}
