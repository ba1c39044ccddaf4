namespace Strata.Query.Parsing.Ast;

public enum SortOrder : byte
{
    Asc,
    Desc,
}

public enum FromKind : byte
{
    /// <summary><c>from a</c> or <c>from a, b, c</c>: <see cref="FromClause.Tables"/>.</summary>
    Series,
    /// <summary><c>from /re/</c>: <see cref="FromClause.Regex"/>.</summary>
    Regex,
    /// <summary><c>from a merge b</c> or <c>from merge(a, b, …)</c>.</summary>
    Merge,
    /// <summary><c>from merge(/re/)</c>.</summary>
    MergeRegex,
    /// <summary><c>from a [as x] inner join b [as y]</c> or <c>from join(a, b, …)</c>.</summary>
    Join,
    /// <summary><c>from join(/re/)</c>.</summary>
    JoinRegex,
}

/// <summary>A series name in a from clause; <see cref="Alias"/> only in <c>a as x inner join b as y</c>.</summary>
public sealed record TableRef(string Name, string? Alias = null);

public sealed record FromClause(FromKind Kind, IReadOnlyList<TableRef> Tables, RegexLiteral? Regex = null)
{
    public IReadOnlyList<TableRef> Tables { get; init => field = EquatableList<TableRef>.From(value); } = EquatableList<TableRef>.From(Tables);

    public static FromClause Series(params string[] names) => new(FromKind.Series, [.. names.Select(n => new TableRef(n))]);

    public static FromClause ForRegex(RegexLiteral regex) => new(FromKind.Regex, EquatableList<TableRef>.Empty, regex);
}

/// <summary><c>group by e1, e2 [fill(V)]</c>. <see cref="Fill"/> is V; 0.8 validates it later (§7.4).</summary>
public sealed record GroupByClause(IReadOnlyList<Expr> Elements, Expr? Fill = null)
{
    public IReadOnlyList<Expr> Elements { get; init => field = EquatableList<Expr>.From(value); } = EquatableList<Expr>.From(Elements);
}

/// <summary>
/// <c>into TARGET [backfill(V)]</c>. <see cref="Target"/> keeps <c>:series_name</c> and <c>[column]</c>
/// placeholders as text. <see cref="BackfillValue"/> is V as written (already checked to be a Go
/// <c>ParseBool</c> spelling); <see cref="Backfill"/> defaults to true.
/// </summary>
public sealed record IntoClause(string Target, Expr? BackfillValue = null)
{
    public bool Backfill => BackfillValue is null || QueryValidation.ParseGoBool(QueryPrinter.Print08Value(BackfillValue)) != false;
}
