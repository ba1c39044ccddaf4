using System.Globalization;

namespace Strata.Query.Parsing.Ast;

/// <summary>
/// A value of the 0.8 language: a select-list item, a function argument, a group-by element, an
/// operand of a where condition — and, for the where clause, the condition itself (comparisons,
/// <c>in</c>, regex matches, <c>and</c>/<c>or</c> are <see cref="BinaryExpr"/>/<see cref="InExpr"/>).
/// Parentheses are not kept: the tree shape carries the grouping.
/// </summary>
public abstract record Expr;

/// <summary>A bare, dotted or double-quoted name: a column (<c>value</c>, <c>cpu.idle</c>, <c>"my col"</c>).</summary>
public sealed record ColumnRef(string Name) : Expr;

/// <summary><c>*</c>.</summary>
public sealed record Wildcard : Expr;

/// <summary>
/// An INT_VALUE or FLOAT_VALUE literal, optionally preceded by unary minus (which 0.8 folds into the
/// literal: <c>- 1</c> is the number <c>-1</c>; unary minus exists only before literals).
/// <see cref="Text"/> is the literal as 0.8 keeps it (<c>-1</c>, <c>.5</c>, <c>5.</c>).
/// </summary>
public sealed record NumberLiteral(string Text, bool IsInteger) : Expr
{
    /// <summary>The value when <see cref="IsInteger"/> and it fits in int64; an integer that overflows is used as a float (§6.6).</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return IsInteger && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The value as a double (integers that overflow int64 included).</summary>
    public double ToDouble() =>
        double.TryParse(Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
}

/// <summary>A single-quoted string; there are no escapes (§1.5).</summary>
public sealed record StringLiteral(string Value) : Expr;

/// <summary><c>true</c>/<c>false</c> in any case; <see cref="Text"/> keeps the spelling.</summary>
public sealed record BoolLiteral(string Text) : Expr
{
    public bool Value => Text.Equals("true", StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>/pattern/</c> or <c>/pattern/i</c>. <see cref="Pattern"/> has <c>\/</c> already turned into <c>/</c>; other backslashes are kept.</summary>
public sealed record RegexLiteral(string Pattern, bool CaseInsensitive) : Expr;

/// <summary>
/// A DURATION literal (<c>10s</c>, <c>1.5h</c>, <c>-1d</c>, <c>1M</c>). <see cref="Text"/> is the
/// literal with its sign; the value follows query-language.md §1.6 with the recommended fix
/// (upper-case <c>U S H D MS</c> mean the same as lower case; <c>m</c> is a minute, <c>M</c> 30 days).
/// </summary>
public sealed record DurationLiteral(string Text) : Expr
{
    /// <summary>
    /// The value in nanoseconds: the number part read as an exact decimal times the unit, truncated
    /// toward zero, saturated at the int64 range.
    /// </summary>
    public long Nanoseconds => DurationValue.ToNanoseconds(Text);

    /// <summary>The value in microseconds (nanoseconds / 1000, truncated toward zero).</summary>
    public long Microseconds => Nanoseconds / 1000;

    /// <summary>True for <c>1w</c>/<c>1M</c>/<c>1y</c>-style calendar intervals (§7.2): last letter w, W, M, y or Y and exactly 7, 30 or 365 days.</summary>
    public bool IsCalendarInterval => DurationValue.IsCalendarInterval(Text);
}

/// <summary><c>now()</c> in any case.</summary>
public sealed record NowExpr : Expr;

/// <summary><c>name(args)</c>. The name keeps its spelling; 0.8 lower-cases it when it looks the function up.</summary>
public sealed record FunctionCall(string Name, IReadOnlyList<Expr> Args) : Expr
{
    public IReadOnlyList<Expr> Args { get; init => field = EquatableList<Expr>.From(value); } = EquatableList<Expr>.From(Args);
}

/// <summary>
/// <c>expr as alias</c>: allowed after a function call or a parenthesised value (§2.4). Aliasing an
/// aliased value replaces the alias, as 0.8 does (<c>((a) as b) as c</c> is <c>a</c> as <c>c</c>).
/// </summary>
public sealed record AliasedExpr(Expr Expr, string Alias) : Expr;

public enum BinaryOp : byte
{
    Add,
    Subtract,
    Multiply,
    Divide,
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>&lt;&gt;</c> (0.8 has no <c>!=</c>)</summary>
    NotEqual,
    Greater,
    Less,
    GreaterOrEqual,
    LessOrEqual,
    /// <summary><c>=~</c>, right operand a <see cref="RegexLiteral"/>.</summary>
    RegexMatch,
    /// <summary><c>!~</c>, right operand a <see cref="RegexLiteral"/>.</summary>
    RegexNotMatch,
    And,
    Or,
}

/// <summary>Arithmetic (<c>+ - * /</c>), a comparison, a regex match, or <c>and</c>/<c>or</c> of two conditions.</summary>
public sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right) : Expr
{
    public static string OperatorText(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Equal => "=",
        BinaryOp.NotEqual => "<>",
        BinaryOp.Greater => ">",
        BinaryOp.Less => "<",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.RegexMatch => "=~",
        BinaryOp.RegexNotMatch => "!~",
        BinaryOp.And => "and",
        BinaryOp.Or => "or",
        _ => throw new InvalidOperationException("BUG: unknown operator " + op),
    };

    public bool IsArithmetic => Op <= BinaryOp.Divide;

    public bool IsComparison => Op is >= BinaryOp.Equal and <= BinaryOp.RegexNotMatch;

    public bool IsLogical => Op is BinaryOp.And or BinaryOp.Or;
}

/// <summary><c>left in (v1, v2, …)</c> in a where clause (any case of <c>in</c>, per the §1.8 recommendation).</summary>
public sealed record InExpr(Expr Left, IReadOnlyList<Expr> Values) : Expr
{
    public IReadOnlyList<Expr> Values { get; init => field = EquatableList<Expr>.From(value); } = EquatableList<Expr>.From(Values);
}
