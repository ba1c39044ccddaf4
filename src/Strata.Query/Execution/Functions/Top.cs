namespace Strata.Query.Execution.Functions;

/// <summary><c>top(x, N)</c>: the N largest values, largest first, one row each (§7.5).</summary>
public sealed class Top(string column, Parsing.Ast.Expr? argument, int limit) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new TopBottomState(limit, top: true);
}
