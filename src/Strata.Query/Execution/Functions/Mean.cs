using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>mean(x)</c>: the mean over every point of the group, null, string and bool values counted as 0 (§7.5:
/// <c>mean(n)</c> over 1, 2, 3, null is 1.5). Computed as the exact sum (<see cref="ExactSum"/>) rounded once, over
/// the count: it folds block statistics, does not depend on how storage holds the points, and is at least as exact
/// as 0.8's running mean (Strata choice: the two can differ in the last bit).
/// </summary>
public sealed class Mean(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override bool FoldsBlockStatistics => true;

    public override bool FoldsBlockSums => true;

    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private long _count;
        private ExactSum _sum;

        public override void Add(long time, FieldValue value)
        {
            _count++;
            if (value.IsNumeric)
            {
                _sum.Add(value.ToDouble());
            }
        }

        public override void AddBlock(in BlockSummary block)
        {
            _count += block.Count;
            _sum.Add(in block.Sum);
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty) =>
            EmitOne(rows, _count == 0 ? empty : FieldValue.FromDouble(_sum.Round() / _count));
    }
}
