using System.Text.RegularExpressions;
using Strata.Core;

namespace Strata.Query.Planning;

/// <summary>A from-clause entry: a series name, or a regex matched against every series of the database.</summary>
public abstract record FromSource;

public sealed record NamedSource(string Name) : FromSource;

public sealed record RegexSource(Regex Pattern) : FromSource;

/// <summary>A where-clause condition with the time conditions already taken out (query-language.md §5.4, §6.6).</summary>
public abstract record Condition;

public sealed record AndCondition(Condition Left, Condition Right) : Condition;

public sealed record OrCondition(Condition Left, Condition Right) : Condition;

public enum CompareOp
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

public sealed record CompareCondition(CompareOp Op, Operand Left, Operand Right) : Condition;

public sealed record RegexCondition(Operand Left, Regex Pattern, bool Negated) : Condition;

public sealed record InCondition(Operand Left, IReadOnlyList<Operand> Values) : Condition;

/// <summary>Always true: the where clause held only time conditions (or <c>time = X</c>, which stays for the single-point form).</summary>
public sealed record TrueCondition : Condition
{
    public static readonly TrueCondition Instance = new();
}

/// <summary>A value in a condition: a column of the point or a literal.</summary>
public abstract record Operand;

public sealed record ColumnOperand(string Name) : Operand;

public sealed record LiteralOperand(FieldValue Value) : Operand;

/// <summary>An arithmetic expression of columns and literals (query-language.md §6.6 operands, §6.8 arithmetic).</summary>
public sealed record ExpressionOperand(Parsing.Ast.Expr Expr) : Operand;

/// <summary>
/// A column of an arithmetic select (query-language.md §6.8): a plain column keeps its name, an expression is named
/// by its alias or <c>expr&lt;i&gt;</c> (i its position in the select list).
/// </summary>
public sealed record ProjectionColumn(string Name, Parsing.Ast.Expr Expr);

/// <summary>
/// What a select reads and how its rows come out: sources, the explicitly named columns (select list — inside
/// expressions and function arguments too — and group-by columns; each must exist), the remaining condition, the
/// inclusive time range in µs, the per-series limit (0 = none), the order, and for arithmetic selects the
/// projection (null otherwise).
/// </summary>
public sealed record SelectPlan(
    IReadOnlyList<FromSource> Sources,
    bool SelectAll,
    IReadOnlyList<string> Columns,
    Condition Where,
    long StartMicros,
    long EndMicros,
    int Limit,
    bool Ascending,
    string QueryText)
{
    /// <summary>The query had a start-time condition (fill then covers the whole range, §7.4).</summary>
    public bool StartSpecified { get; init; }

    /// <summary>The output columns of an arithmetic select; null for plain columns and for aggregates.</summary>
    public IReadOnlyList<ProjectionColumn>? Projection { get; init; }
}
