namespace Strata.Query.Parsing.Ast;

/// <summary>One statement of a request. <see cref="QueryParser.Parse"/> returns them in text order (0.8 runs them in reverse, §2.2).</summary>
public abstract record Statement;

/// <summary>
/// <c>[explain] select … from … [where …] [group by …] [limit N] [order asc|desc] [into …]</c>.
/// Where/group by and limit/order may be written in either order; the AST does not keep which.
/// </summary>
public sealed record SelectStatement(
    IReadOnlyList<Expr> Columns,
    FromClause From,
    Expr? Where = null,
    GroupByClause? GroupBy = null,
    long? Limit = null,
    SortOrder? Order = null,
    IntoClause? Into = null,
    bool Explain = false) : Statement
{
    public IReadOnlyList<Expr> Columns { get; init => field = EquatableList<Expr>.From(value); } = EquatableList<Expr>.From(Columns);

    /// <summary>0.8's default order is descending; only <c>order asc</c> makes it ascending.</summary>
    public bool Ascending => Order == SortOrder.Asc;

    /// <summary>A select with <c>into</c> creates a continuous query instead of running (§10.1).</summary>
    public bool IsContinuousQuery => Into is not null;
}

/// <summary><c>delete from … [where …]</c>.</summary>
public sealed record DeleteStatement(FromClause From, Expr? Where = null) : Statement;

/// <summary><c>drop series NAME</c>.</summary>
public sealed record DropSeriesStatement(string Name) : Statement;

/// <summary><c>drop continuous query N</c>. Ids beyond int32 saturate (0.8's <c>atoi</c> wraps them; no such id exists either way).</summary>
public sealed record DropContinuousQueryStatement(int Id) : Statement;

/// <summary><c>list series [/regex/[i]] [include spaces]</c>.</summary>
public sealed record ListSeriesStatement(RegexLiteral? Regex = null, bool IncludeSpaces = false) : Statement;

/// <summary><c>list continuous queries</c>.</summary>
public sealed record ListContinuousQueriesStatement : Statement;
