using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>count(x)</c>: the number of points in the group — every point that exists counts, whatever x holds
/// (query-language.md §6.4, §7.5). <c>count(f(…))</c> counts the rows f returns for the group.
/// </summary>
public sealed class Count(string column, AggregateFunction? inner) : AggregateFunction(column, inner?.Argument)
{
    public override bool FoldsBlockStatistics => inner is null;

    public override AggregateState NewState() => inner is null ? new PointCount() : new RowCount(inner.NewState());

    private sealed class PointCount : AggregateState
    {
        private long _count;

        public override void Add(long time, FieldValue value) => _count++;

        public override void AddBlock(in BlockSummary block) => _count += block.Count;

        public override void Emit(List<FieldValue[]> rows, FieldValue empty) =>
            EmitOne(rows, _count == 0 ? empty : FieldValue.FromInt64(_count));
    }

    private sealed class RowCount(AggregateState inner) : AggregateState
    {
        private bool _any;

        public override void Add(long time, FieldValue value)
        {
            _any = true;
            inner.Add(time, value);
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty)
        {
            if (!_any)
            {
                EmitOne(rows, empty);
                return;
            }

            // 0.8 feeds the inner rows to a count state; none at all leaves that state empty.
            var innerRows = new List<FieldValue[]>();
            inner.Emit(innerRows, empty);
            EmitOne(rows, innerRows.Count == 0 ? empty : FieldValue.FromInt64(innerRows.Count));
        }
    }
}
