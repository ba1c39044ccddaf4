using System.Diagnostics.CodeAnalysis;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Parsing;

/// <summary>Entry point: parses the text of <c>q=</c>.</summary>
public static class QueryParser
{
    /// <summary>
    /// Parses one or more <c>;</c>-separated statements, in text order.
    /// Throws <see cref="QueryParseException"/> on a syntax error and, once the whole text has parsed,
    /// <see cref="QueryValidationException"/> for the first statement that fails 0.8's post-parse checks.
    /// </summary>
    public static IReadOnlyList<Statement> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text).ParseRequest();
    }
}

/// <summary>
/// Recursive-descent parser for 0.8's bison grammar (<c>parser/query.yacc</c>; EBNF in
/// docs/query-parser.md). It accepts exactly that grammar with bison's conflict resolutions, and at
/// every point where the next token is required it reports the error bison would: bison reduces by
/// default before it notices an error, so the "expecting …" list is the one of the state reached
/// after those reductions — each call site below passes that list (see <see cref="Expected"/>).
/// </summary>
internal sealed partial class Parser
{
    /// <summary>Nested parentheses and calls deeper than this fail like bison's stack overflow.</summary>
    internal const int MaxNesting = 200;

    /// <summary>Expression trees deeper than this (long operator chains) fail the same way, so that later recursive passes stay safe.</summary>
    internal const int MaxTreeDepth = 1000;

    private readonly string _text;
    private readonly Lexer _lexer;
    private Token _token;
    private int _nesting;
    private QueryValidationException? _deferred;

    public Parser(string text)
    {
        _text = text;
        _lexer = new Lexer(text);
        _token = _lexer.Next();
    }

    private TokenKind Kind => _token.Kind;

    private Token Advance()
    {
        var previous = _token;
        _token = _lexer.Next();
        return previous;
    }

    /// <summary>Consumes a token of <paramref name="kind"/> or fails with <paramref name="expected"/> as bison's list.</summary>
    private Token Expect(TokenKind kind, TokenKind[] expected)
    {
        if (_token.Kind != kind)
        {
            ThrowUnexpected(expected);
        }
        return Advance();
    }

    [DoesNotReturn]
    private void ThrowUnexpected(TokenKind[] expected) => throw Unexpected(_token, expected);

    private QueryParseException Unexpected(Token token, TokenKind[] expected)
    {
        // bison's verbose message: the unexpected token and, when there are at most four, the alternatives.
        var message = "syntax error, unexpected " + Token.DisplayName(token.Kind);
        if (expected.Length is > 0 and <= 4)
        {
            message += ", expecting " + string.Join(" or ", expected.Select(Token.DisplayName));
        }
        return Error(message, token);
    }

    private QueryParseException Error(string message, Token token)
    {
        // 0.8's yylloc: lines are 1 until the scanner matched something, then 0 (yylineno is never advanced).
        int firstLine = token.ReportLength == 0 || token.ReportOffset == 0 ? 1 : 0;
        int lastLine = token.ReportLength == 0 ? 1 : 0;
        return new QueryParseException(message, _text, firstLine, token.ReportOffset, lastLine, token.ReportLength);
    }

    [DoesNotReturn]
    private void ThrowTooDeep() => throw Error("memory exhausted", _token);

    private void Enter()
    {
        if (++_nesting > MaxNesting)
        {
            ThrowTooDeep();
        }
    }

    private void Leave() => _nesting--;

    private void CheckDepth(int depth)
    {
        if (depth > MaxTreeDepth)
        {
            ThrowTooDeep();
        }
    }

    private void Defer(Func<Expr> check, out Expr? value)
    {
        try
        {
            value = check();
        }
        catch (QueryValidationException e)
        {
            _deferred ??= e;
            value = null;
        }
    }

    /// <summary>
    /// The "expecting" lists of the bison states where an error is detected, in symbol order.
    /// Lists longer than four are never printed, but are kept for documentation.
    /// </summary>
    private static class Expected
    {
        public static readonly TokenKind[] StatementStart = [TokenKind.Select, TokenKind.Delete, TokenKind.List, TokenKind.Drop, TokenKind.DropSeries, TokenKind.Explain];
        public static readonly TokenKind[] End = [TokenKind.End];
        public static readonly TokenKind[] Select = [TokenKind.Select];
        public static readonly TokenKind[] ContinuousQuery = [TokenKind.ContinuousQuery];
        public static readonly TokenKind[] IntValue = [TokenKind.IntValue];
        public static readonly TokenKind[] Table = [TokenKind.TableName, TokenKind.SimpleName];
        public static readonly TokenKind[] ListWhat = [TokenKind.Series, TokenKind.ContinuousQueries];
        public static readonly TokenKind[] Spaces = [TokenKind.Spaces];
        public static readonly TokenKind[] From = [TokenKind.From];
        public static readonly TokenKind[] FromStart = [TokenKind.Merge, TokenKind.Join, TokenKind.TableName, TokenKind.SimpleName, TokenKind.RegexString, TokenKind.InsensitiveRegexString];
        public static readonly TokenKind[] LParen = [TokenKind.LParen];
        public static readonly TokenKind[] TableOrRegex = [TokenKind.TableName, TokenKind.SimpleName, TokenKind.RegexString, TokenKind.InsensitiveRegexString];
        public static readonly TokenKind[] CommaOrRParen = [TokenKind.Comma, TokenKind.RParen];
        public static readonly TokenKind[] RParen = [TokenKind.RParen];
        public static readonly TokenKind[] Inner = [TokenKind.Inner];
        public static readonly TokenKind[] Join = [TokenKind.Join];
        public static readonly TokenKind[] By = [TokenKind.By];
        public static readonly TokenKind[] AscOrDesc = [TokenKind.Asc, TokenKind.Desc];
        public static readonly TokenKind[] IntoTarget = [TokenKind.TableName, TokenKind.SimpleName, TokenKind.IntoName];
        public static readonly TokenKind[] ValueStart = [TokenKind.StringValue, TokenKind.IntValue, TokenKind.FloatValue, TokenKind.BooleanValue, TokenKind.TableName, TokenKind.SimpleName, TokenKind.Duration, TokenKind.Minus, TokenKind.Star, TokenKind.LParen];
        public static readonly TokenKind[] ArgumentStart = [.. ValueStart, TokenKind.RParen];
        public static readonly TokenKind[] SignedLiteral = [TokenKind.IntValue, TokenKind.FloatValue, TokenKind.Duration];
        public static readonly TokenKind[] SimpleName = [TokenKind.SimpleName];
        public static readonly TokenKind[] ValueParen = [TokenKind.Plus, TokenKind.Minus, TokenKind.Star, TokenKind.Slash, TokenKind.RParen];
        public static readonly TokenKind[] ConditionParen = [TokenKind.Or, TokenKind.And, TokenKind.RParen];
        public static readonly TokenKind[] Regex = [TokenKind.RegexString, TokenKind.InsensitiveRegexString];
    }
}
