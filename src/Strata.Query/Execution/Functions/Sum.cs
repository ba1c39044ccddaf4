using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>sum(x)</c>: the sum of the numeric values as a float; null, string and bool values add 0 (§7.5). Added exactly
/// and rounded once (<see cref="ExactSum"/>), so the answer does not depend on how storage holds the points.
/// </summary>
public sealed class Sum(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override bool FoldsBlockStatistics => true;

    public override bool FoldsBlockSums => true;

    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private bool _any;
        private ExactSum _sum;

        public override void Add(long time, FieldValue value)
        {
            _any = true;
            if (value.IsNumeric)
            {
                _sum.Add(value.ToDouble());
            }
        }

        public override void AddBlock(in BlockSummary block)
        {
            _any = true;
            _sum.Add(in block.Sum);
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty) =>
            EmitOne(rows, _any ? FieldValue.FromDouble(_sum.Round()) : empty);
    }
}
