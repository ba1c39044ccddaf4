using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>last(x)</c>: the value of the last point in query order — the oldest by default, the newest with
/// <c>order asc</c>. Nulls are not skipped; the value keeps its type (§7.5).
/// </summary>
public sealed class Last(string column, Parsing.Ast.Expr? argument) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new State();

    private sealed class State : AggregateState
    {
        private bool _any;
        private FieldValue _value;

        public override void Add(long time, FieldValue value)
        {
            _any = true;
            _value = value;
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty) => EmitOne(rows, _any ? _value : empty);
    }
}
