namespace Strata.Query.Parsing;

/// <summary>
/// A syntax error, worded and located as 0.8's bison parser reports it (query-language.md §12.1).
/// <see cref="Exception.Message"/> is the parser message alone (<c>syntax error, unexpected AS, expecting FROM</c>).
/// </summary>
/// <remarks>
/// Positions are 0.8's: <see cref="Column"/> is the 0-based <b>byte</b> offset of the offending token in
/// the whole query (0.8 never counts lines) and <see cref="Length"/> its length in bytes.
/// <see cref="Line"/>/<see cref="LastLine"/> are the line numbers 0.8 prints in the short form:
/// 1 before the scanner has matched anything, 0 after (its scanner never counts lines).
/// </remarks>
public sealed class QueryParseException : Exception
{
    public QueryParseException(string message, string queryText, int line, int column, int lastLine, int length)
        : base(message)
    {
        QueryText = queryText;
        Line = line;
        Column = column;
        LastLine = lastLine;
        Length = length;
    }

    public QueryParseException()
        : this("syntax error", string.Empty, 1, 0, 1, 0)
    {
    }

    public QueryParseException(string message)
        : this(message, string.Empty, 1, 0, 1, 0)
    {
    }

    public QueryParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        QueryText = string.Empty;
        Line = 1;
        LastLine = 1;
    }

    /// <summary>The query text exactly as it was given to the parser.</summary>
    public string QueryText { get; }

    public int Line { get; }

    /// <summary>0-based byte offset of the offending token.</summary>
    public int Column { get; }

    public int LastLine { get; }

    /// <summary>Length of the offending token in bytes (0 for an empty query).</summary>
    public int Length { get; }

    public int LastColumn => Column + Length;

    /// <summary>
    /// <c>message\nquery\n&lt;Column spaces&gt;&lt;Length carets&gt;</c>, no trailing newline: the body of a
    /// 400 from <c>GET /db/:db/series</c> (<c>parser/query_error.go</c> PrettyPrint).
    /// </summary>
    public string ToThreeLineForm() => $"{Message}\n{QueryText}\n{new string(' ', Column)}{new string('^', Length)}";

    /// <summary><c>Error at l:c l:c. message</c>: the form <c>DELETE /db/:db/series/:s</c> and <c>database_configs</c> answer with.</summary>
    public string ToShortForm() => $"Error at {Line}:{Column} {LastLine}:{LastColumn}. {Message}";
}

/// <summary>
/// A statement the grammar accepts but 0.8's post-parse checks refuse (query-language.md §3), e.g.
/// <c>You can't use foo with group by</c>. <see cref="Exception.Message"/> is 0.8's text exactly;
/// the HTTP layer answers 400 with it as the plain body (no caret block).
/// </summary>
public sealed class QueryValidationException : Exception
{
    public QueryValidationException()
    {
    }

    public QueryValidationException(string message)
        : base(message)
    {
    }

    public QueryValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
