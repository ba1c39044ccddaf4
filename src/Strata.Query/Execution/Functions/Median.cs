namespace Strata.Query.Execution.Functions;

/// <summary><c>median(x)</c>: the nearest-rank 50th percentile — the lower middle value for an even count (§7.5).</summary>
public static class Median
{
    public static AggregateFunction Create(string column, Parsing.Ast.Expr? argument) => new Percentile(column, argument, 50);
}
