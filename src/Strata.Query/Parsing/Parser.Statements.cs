using Strata.Query.Parsing.Ast;

namespace Strata.Query.Parsing;

// request = statement { ";" statement } [ ";" ]
// statement = select_stmt | "explain" select_stmt | delete_stmt | drop_series_stmt | drop_cq_stmt
//           | list_series_stmt | list_cq_stmt
internal sealed partial class Parser
{
    public IReadOnlyList<Statement> ParseRequest()
    {
        var statements = new List<Statement>();
        while (true)
        {
            statements.Add(ParseStatement());
            if (Kind == TokenKind.Semicolon)
            {
                Advance();
                if (Kind == TokenKind.End)
                {
                    break;
                }
                if (!IsStatementStart(Kind))
                {
                    // bison reduces "statement ;" and then only accepts the end ("select 1 from a;;").
                    ThrowUnexpected(Expected.End);
                }
                continue;
            }
            if (Kind != TokenKind.End)
            {
                ThrowUnexpected(Expected.End);
            }
            break;
        }
        // 0.8 checks each statement only after the whole request parsed.
        if (_deferred is not null)
        {
            throw _deferred;
        }
        return statements;
    }

    private static bool IsStatementStart(TokenKind kind) =>
        kind is TokenKind.Select or TokenKind.Delete or TokenKind.List or TokenKind.Drop or TokenKind.DropSeries or TokenKind.Explain;

    private Statement ParseStatement()
    {
        switch (Kind)
        {
            case TokenKind.Select:
                return ParseSelect(explain: false);
            case TokenKind.Explain:
                Advance();
                Expect(TokenKind.Select, Expected.Select);
                return ParseSelectAfterKeyword(explain: true);
            case TokenKind.Delete:
                return ParseDelete();
            case TokenKind.Drop:
                return ParseDropContinuousQuery();
            case TokenKind.DropSeries:
                Advance();
                return new DropSeriesStatement(ExpectTableName().Text);
            case TokenKind.List:
                return ParseList();
            default:
                ThrowUnexpected(Expected.StatementStart);
                return null;
        }
    }

    // delete_stmt = "delete" from_clause [ where_clause ]
    private DeleteStatement ParseDelete()
    {
        Advance();
        var from = ParseFromClause();
        Expr? where = null;
        if (Kind == TokenKind.Where)
        {
            where = ParseWhereClause();
        }
        return new DeleteStatement(from, where);
    }

    // drop_cq_stmt = "drop" "continuous query" INT
    private DropContinuousQueryStatement ParseDropContinuousQuery()
    {
        Advance();
        Expect(TokenKind.ContinuousQuery, Expected.ContinuousQuery);
        var id = Expect(TokenKind.IntValue, Expected.IntValue);
        return new DropContinuousQueryStatement((int)Math.Min(ParseDigits(id.Text), int.MaxValue));
    }

    // list_series_stmt = "list" "series" [ REGEX ] [ "include" "spaces" ]
    // list_cq_stmt     = "list" "continuous queries"
    private Statement ParseList()
    {
        Advance();
        if (Kind == TokenKind.ContinuousQueries)
        {
            Advance();
            return new ListContinuousQueriesStatement();
        }
        Expect(TokenKind.Series, Expected.ListWhat);
        RegexLiteral? regex = null;
        if (Kind is TokenKind.RegexString or TokenKind.InsensitiveRegexString)
        {
            regex = ToRegex(Advance());
        }
        bool includeSpaces = false;
        if (Kind == TokenKind.Include)
        {
            Advance();
            Expect(TokenKind.Spaces, Expected.Spaces);
            includeSpaces = true;
        }
        return new ListSeriesStatement(regex, includeSpaces);
    }

    private Token ExpectTableName()
    {
        if (Kind is not (TokenKind.SimpleName or TokenKind.TableName))
        {
            ThrowUnexpected(Expected.Table);
        }
        return Advance();
    }

    private static RegexLiteral ToRegex(Token token) => new(token.Text, token.Kind == TokenKind.InsensitiveRegexString);

    /// <summary>An INT_VALUE's digits as a non-negative number, saturated at long.MaxValue.</summary>
    private static long ParseDigits(string digits)
    {
        long value = 0;
        foreach (char c in digits)
        {
            if (value > (long.MaxValue - 9) / 10)
            {
                return long.MaxValue;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
