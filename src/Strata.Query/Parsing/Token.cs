namespace Strata.Query.Parsing;

/// <summary>
/// The tokens of the 0.8 query language. The order is the symbol order of 0.8's bison grammar
/// (<c>parser/query.yacc</c>), so the "expecting A or B" part of a syntax error lists the
/// alternatives in the same order 0.8 does when they are sorted by this enum's value.
/// </summary>
public enum TokenKind : byte
{
    /// <summary>End of input (<c>$end</c>).</summary>
    End,
    /// <summary>A character the grammar does not know (<c>$undefined</c>): <c>!</c>, <c>.</c>, an unterminated <c>'</c>, <c>\r</c>, …</summary>
    Undefined,
    Select,
    Delete,
    From,
    Where,
    Group,
    By,
    Limit,
    Order,
    Asc,
    Desc,
    Merge,
    Inner,
    Join,
    As,
    List,
    Series,
    Into,
    /// <summary><c>continuous queries</c> (exactly one space).</summary>
    ContinuousQueries,
    /// <summary><c>continuous query</c> (exactly one space).</summary>
    ContinuousQuery,
    Drop,
    /// <summary><c>drop series</c> (exactly one space).</summary>
    DropSeries,
    Explain,
    /// <summary>End of input inside a regex literal (<c>UNKNOWN</c>).</summary>
    Unknown,
    Include,
    Spaces,
    StringValue,
    IntValue,
    FloatValue,
    BooleanValue,
    /// <summary>A dotted name such as <c>cpu.load</c>.</summary>
    TableName,
    /// <summary>A plain or double-quoted name.</summary>
    SimpleName,
    /// <summary>A name containing <c>:</c>, <c>[</c> or <c>]</c>; only valid as an <c>into</c> target.</summary>
    IntoName,
    RegexOp,
    NegationRegexOp,
    RegexString,
    InsensitiveRegexString,
    Duration,
    Or,
    And,
    OperationEqual,
    OperationNe,
    OperationGt,
    OperationLt,
    OperationLe,
    OperationGe,
    OperationIn,
    Plus,
    Minus,
    Star,
    Slash,
    Semicolon,
    Comma,
    LParen,
    RParen,
}

/// <summary>
/// One token. <see cref="Offset"/>/<see cref="Length"/> span the whole token in UTF-8 bytes;
/// <see cref="Line"/>/<see cref="Column"/> (both 1-based, column in bytes) locate its first byte.
/// <see cref="ReportOffset"/>/<see cref="ReportLength"/> are the location 0.8's scanner reports
/// for it in a syntax error: the last lexer match that made up the token (for a regex literal the
/// closing slash, for a quoted name the closing quote, for <c>$end</c> the last thing read,
/// trailing white space included).
/// </summary>
public readonly record struct Token(
    TokenKind Kind,
    string Text,
    int Offset,
    int Length,
    int Line,
    int Column,
    int ReportOffset,
    int ReportLength)
{
    /// <summary>The name 0.8's bison messages use for a token kind (<c>SIMPLE_NAME</c>, <c>'('</c>, <c>$end</c>, …).</summary>
    public static string DisplayName(TokenKind kind) => kind switch
    {
        TokenKind.End => "$end",
        TokenKind.Undefined => "$undefined",
        TokenKind.Select => "SELECT",
        TokenKind.Delete => "DELETE",
        TokenKind.From => "FROM",
        TokenKind.Where => "WHERE",
        TokenKind.Group => "GROUP",
        TokenKind.By => "BY",
        TokenKind.Limit => "LIMIT",
        TokenKind.Order => "ORDER",
        TokenKind.Asc => "ASC",
        TokenKind.Desc => "DESC",
        TokenKind.Merge => "MERGE",
        TokenKind.Inner => "INNER",
        TokenKind.Join => "JOIN",
        TokenKind.As => "AS",
        TokenKind.List => "LIST",
        TokenKind.Series => "SERIES",
        TokenKind.Into => "INTO",
        TokenKind.ContinuousQueries => "CONTINUOUS_QUERIES",
        TokenKind.ContinuousQuery => "CONTINUOUS_QUERY",
        TokenKind.Drop => "DROP",
        TokenKind.DropSeries => "DROP_SERIES",
        TokenKind.Explain => "EXPLAIN",
        TokenKind.Unknown => "UNKNOWN",
        TokenKind.Include => "INCLUDE",
        TokenKind.Spaces => "SPACES",
        TokenKind.StringValue => "STRING_VALUE",
        TokenKind.IntValue => "INT_VALUE",
        TokenKind.FloatValue => "FLOAT_VALUE",
        TokenKind.BooleanValue => "BOOLEAN_VALUE",
        TokenKind.TableName => "TABLE_NAME",
        TokenKind.SimpleName => "SIMPLE_NAME",
        TokenKind.IntoName => "INTO_NAME",
        TokenKind.RegexOp => "REGEX_OP",
        TokenKind.NegationRegexOp => "NEGATION_REGEX_OP",
        TokenKind.RegexString => "REGEX_STRING",
        TokenKind.InsensitiveRegexString => "INSENSITIVE_REGEX_STRING",
        TokenKind.Duration => "DURATION",
        TokenKind.Or => "OR",
        TokenKind.And => "AND",
        TokenKind.OperationEqual => "OPERATION_EQUAL",
        TokenKind.OperationNe => "OPERATION_NE",
        TokenKind.OperationGt => "OPERATION_GT",
        TokenKind.OperationLt => "OPERATION_LT",
        TokenKind.OperationLe => "OPERATION_LE",
        TokenKind.OperationGe => "OPERATION_GE",
        TokenKind.OperationIn => "OPERATION_IN",
        TokenKind.Plus => "'+'",
        TokenKind.Minus => "'-'",
        TokenKind.Star => "'*'",
        TokenKind.Slash => "'/'",
        TokenKind.Semicolon => "';'",
        TokenKind.Comma => "','",
        TokenKind.LParen => "'('",
        TokenKind.RParen => "')'",
        _ => kind.ToString(),
    };
}
