namespace Strata.Query.Execution.Functions;

/// <summary><c>bottom(x, N)</c>: the N smallest values, smallest first, one row each (§7.5).</summary>
public sealed class Bottom(string column, Parsing.Ast.Expr? argument, int limit) : AggregateFunction(column, argument)
{
    public override AggregateState NewState() => new TopBottomState(limit, top: false);
}
