using Strata.Query.Parsing.Ast;

namespace Strata.Query.Parsing;

// select_stmt = "select" value_list from_clause
//               ( [ group_clause ] [ where_clause ] | [ where_clause ] [ group_clause ] )
//               ( [ order_clause ] [ limit_clause ] | [ limit_clause ] [ order_clause ] )
//               [ into_clause ]
internal sealed partial class Parser
{
    private SelectStatement ParseSelect(bool explain)
    {
        Advance();
        return ParseSelectAfterKeyword(explain);
    }

    private SelectStatement ParseSelectAfterKeyword(bool explain)
    {
        var columns = ParseValueList();
        if (Kind != TokenKind.From)
        {
            ThrowUnexpected(Expected.From);
        }
        var from = ParseFromClause();

        Expr? where = null;
        GroupByClause? groupBy = null;
        if (Kind == TokenKind.Where)
        {
            where = ParseWhereClause();
            if (Kind == TokenKind.Group)
            {
                groupBy = ParseGroupByClause();
            }
        }
        else if (Kind == TokenKind.Group)
        {
            groupBy = ParseGroupByClause();
            if (Kind == TokenKind.Where)
            {
                where = ParseWhereClause();
            }
        }

        long? limit = null;
        SortOrder? order = null;
        if (Kind == TokenKind.Limit)
        {
            limit = ParseLimitClause();
            if (Kind == TokenKind.Order)
            {
                order = ParseOrderClause();
            }
        }
        else if (Kind == TokenKind.Order)
        {
            order = ParseOrderClause();
            if (Kind == TokenKind.Limit)
            {
                limit = ParseLimitClause();
            }
        }

        IntoClause? into = null;
        if (Kind == TokenKind.Into)
        {
            into = ParseIntoClause();
        }
        return new SelectStatement(columns, from, where, groupBy, limit, order, into, explain);
    }

    // from_clause = "from" ( table | REGEX | table { "," table } | table "merge" table
    //                      | ( "merge" | "join" ) "(" ( table { "," table } | REGEX ) ")"
    //                      | table [ "as" table ] "inner" "join" table [ "as" table ] )
    private FromClause ParseFromClause()
    {
        if (Kind != TokenKind.From)
        {
            ThrowUnexpected(Expected.From);
        }
        Advance();
        switch (Kind)
        {
            case TokenKind.RegexString:
            case TokenKind.InsensitiveRegexString:
                return FromClause.ForRegex(ToRegex(Advance()));
            case TokenKind.Merge:
            case TokenKind.Join:
                return ParseMergeOrJoinCall();
            case TokenKind.SimpleName:
            case TokenKind.TableName:
                break;
            default:
                ThrowUnexpected(Expected.FromStart);
                break;
        }

        var first = Advance().Text;
        switch (Kind)
        {
            case TokenKind.Comma:
                {
                    var tables = new List<TableRef> { new(first) };
                    while (Kind == TokenKind.Comma)
                    {
                        Advance();
                        tables.Add(new TableRef(ExpectTableName().Text));
                    }
                    return new FromClause(FromKind.Series, tables);
                }
            case TokenKind.Merge:
                Advance();
                return new FromClause(FromKind.Merge, [new TableRef(first), new TableRef(ExpectTableName().Text)]);
            case TokenKind.As:
            case TokenKind.Inner:
                {
                    string? firstAlias = ParseTableAlias();
                    Expect(TokenKind.Inner, Expected.Inner);
                    Expect(TokenKind.Join, Expected.Join);
                    var second = ExpectTableName().Text;
                    string? secondAlias = Kind == TokenKind.As ? ParseTableAlias() : null;
                    return new FromClause(FromKind.Join, [new TableRef(first, firstAlias), new TableRef(second, secondAlias)]);
                }
            default:
                return new FromClause(FromKind.Series, [new TableRef(first)]);
        }
    }

    private string? ParseTableAlias()
    {
        if (Kind != TokenKind.As)
        {
            return null;
        }
        Advance();
        return ExpectTableName().Text;
    }

    private FromClause ParseMergeOrJoinCall()
    {
        bool merge = Advance().Kind == TokenKind.Merge;
        Expect(TokenKind.LParen, Expected.LParen);
        if (Kind is TokenKind.RegexString or TokenKind.InsensitiveRegexString)
        {
            var regex = ToRegex(Advance());
            Expect(TokenKind.RParen, Expected.RParen);
            return new FromClause(merge ? FromKind.MergeRegex : FromKind.JoinRegex, EquatableList<TableRef>.Empty, regex);
        }
        if (Kind is not (TokenKind.SimpleName or TokenKind.TableName))
        {
            ThrowUnexpected(Expected.TableOrRegex);
        }
        var tables = new List<TableRef> { new(Advance().Text) };
        while (Kind == TokenKind.Comma)
        {
            Advance();
            tables.Add(new TableRef(ExpectTableName().Text));
        }
        Expect(TokenKind.RParen, Expected.CommaOrRParen);
        return new FromClause(merge ? FromKind.Merge : FromKind.Join, tables);
    }

    // group_clause = "group" "by" value_list [ SIMPLE_NAME "(" [ value_list ] ")" ]   (the call must be fill(v))
    private GroupByClause ParseGroupByClause()
    {
        Advance();
        Expect(TokenKind.By, Expected.By);
        var elements = ParseValueList();
        Expr? fill = null;
        if (Kind == TokenKind.SimpleName)
        {
            var call = ParseTrailingCall();
            Defer(() => QueryValidation.CheckFill(call), out fill);
        }
        return new GroupByClause(elements, fill);
    }

    // into_clause = "into" ( SIMPLE_NAME | TABLE_NAME | INTO_NAME ) [ SIMPLE_NAME "(" [ value_list ] ")" ]   (backfill(v))
    private IntoClause ParseIntoClause()
    {
        Advance();
        if (Kind is not (TokenKind.SimpleName or TokenKind.TableName or TokenKind.IntoName))
        {
            ThrowUnexpected(Expected.IntoTarget);
        }
        var target = Advance().Text;
        Expr? backfill = null;
        if (Kind == TokenKind.SimpleName)
        {
            var call = ParseTrailingCall();
            Defer(() => QueryValidation.CheckBackfill(call), out backfill);
        }
        return new IntoClause(target, backfill);
    }

    /// <summary>The call after a group-by list or an into target: a function call that cannot take an alias.</summary>
    private FunctionCall ParseTrailingCall()
    {
        var name = Advance().Text;
        if (Kind != TokenKind.LParen)
        {
            ThrowUnexpected(Expected.LParen);
        }
        return ParseCallArguments(name, out _);
    }

    // limit_clause = "limit" INT
    private long ParseLimitClause()
    {
        Advance();
        return ParseDigits(Expect(TokenKind.IntValue, Expected.IntValue).Text);
    }

    // order_clause = "order" ( "asc" | "desc" )
    private SortOrder ParseOrderClause()
    {
        Advance();
        if (Kind == TokenKind.Asc)
        {
            Advance();
            return SortOrder.Asc;
        }
        Expect(TokenKind.Desc, Expected.AscOrDesc);
        return SortOrder.Desc;
    }
}
