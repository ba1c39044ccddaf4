using System.Text;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Parsing;

/// <summary>
/// Turns an AST back into query text, in two forms:
/// <list type="bullet">
/// <item><see cref="Print(Statement)"/>: canonical text that parses back to an equal AST (names quoted
/// only when they must be, parentheses only where precedence needs them, clauses in the order
/// where, group by, limit, order, into).</item>
/// <item><see cref="Print08(Statement)"/>: the normalised, lossy text 0.8 stores for a continuous query and
/// shows in <c>list continuous queries</c> (query-language.md §10.1; <c>Query.GetQueryString</c>).</item>
/// </list>
/// Texts no query can produce are printed as well as they can be, but do not round-trip: a name
/// containing a backslash, a string containing <c>'</c>, a regex ending in a backslash.
/// </summary>
public static class QueryPrinter
{
    private const int PrecOr = 1;
    private const int PrecAnd = 2;
    private const int PrecComparison = 3;
    private const int PrecAdditive = 4;
    private const int PrecMultiplicative = 5;
    private const int PrecPrimary = 6;

    public static string Print(IReadOnlyList<Statement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var sb = new StringBuilder();
        for (int i = 0; i < statements.Count; i++)
        {
            if (i > 0)
            {
                sb.Append("; ");
            }
            AppendStatement(sb, statements[i]);
        }
        return sb.ToString();
    }

    public static string Print(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var sb = new StringBuilder();
        AppendStatement(sb, statement);
        return sb.ToString();
    }

    public static string Print(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var sb = new StringBuilder();
        AppendExpr(sb, expr, 0);
        return sb.ToString();
    }

    private static void AppendStatement(StringBuilder sb, Statement statement)
    {
        switch (statement)
        {
            case SelectStatement select:
                AppendSelect(sb, select);
                break;
            case DeleteStatement delete:
                sb.Append("delete ");
                AppendFrom(sb, delete.From);
                if (delete.Where is not null)
                {
                    sb.Append(" where ");
                    AppendExpr(sb, delete.Where, 0);
                }
                break;
            case DropSeriesStatement drop:
                sb.Append("drop series ").Append(Name(drop.Name, TokenKind.SimpleName, TokenKind.TableName));
                break;
            case DropContinuousQueryStatement drop:
                sb.Append("drop continuous query ").Append(drop.Id);
                break;
            case ListSeriesStatement list:
                sb.Append("list series");
                if (list.Regex is not null)
                {
                    sb.Append(' ');
                    AppendRegex(sb, list.Regex);
                }
                if (list.IncludeSpaces)
                {
                    sb.Append(" include spaces");
                }
                break;
            case ListContinuousQueriesStatement:
                sb.Append("list continuous queries");
                break;
            default:
                throw new InvalidOperationException("BUG: unknown statement " + statement.GetType().Name);
        }
    }

    private static void AppendSelect(StringBuilder sb, SelectStatement select)
    {
        if (select.Explain)
        {
            sb.Append("explain ");
        }
        sb.Append("select ");
        AppendList(sb, select.Columns);
        sb.Append(' ');
        AppendFrom(sb, select.From);
        if (select.Where is not null)
        {
            sb.Append(" where ");
            AppendExpr(sb, select.Where, 0);
        }
        if (select.GroupBy is not null)
        {
            sb.Append(" group by ");
            AppendList(sb, select.GroupBy.Elements);
            if (select.GroupBy.Fill is not null)
            {
                sb.Append(" fill(");
                AppendExpr(sb, select.GroupBy.Fill, 0);
                sb.Append(')');
            }
        }
        if (select.Limit is not null)
        {
            sb.Append(" limit ").Append(select.Limit.Value);
        }
        if (select.Order is not null)
        {
            sb.Append(select.Order == SortOrder.Asc ? " order asc" : " order desc");
        }
        if (select.Into is not null)
        {
            sb.Append(" into ").Append(Name(select.Into.Target, TokenKind.SimpleName, TokenKind.TableName, TokenKind.IntoName));
            if (select.Into.BackfillValue is not null)
            {
                sb.Append(" backfill(");
                AppendExpr(sb, select.Into.BackfillValue, 0);
                sb.Append(')');
            }
        }
    }

    private static void AppendFrom(StringBuilder sb, FromClause from)
    {
        sb.Append("from ");
        switch (from.Kind)
        {
            case FromKind.Regex:
                AppendRegex(sb, RegexOf(from));
                break;
            case FromKind.MergeRegex:
            case FromKind.JoinRegex:
                sb.Append(from.Kind == FromKind.MergeRegex ? "merge(" : "join(");
                AppendRegex(sb, RegexOf(from));
                sb.Append(')');
                break;
            case FromKind.Join when from.Tables.Count == 2:
                AppendTable(sb, from.Tables[0]);
                sb.Append(" inner join ");
                AppendTable(sb, from.Tables[1]);
                break;
            case FromKind.Merge:
            case FromKind.Join:
                sb.Append(from.Kind == FromKind.Merge ? "merge(" : "join(");
                AppendTables(sb, from.Tables, ", ");
                sb.Append(')');
                break;
            default:
                AppendTables(sb, from.Tables, ", ");
                break;
        }
    }

    private static RegexLiteral RegexOf(FromClause from) =>
        from.Regex ?? throw new InvalidOperationException("BUG: regex from clause without a regex");

    private static void AppendTables(StringBuilder sb, IReadOnlyList<TableRef> tables, string separator)
    {
        for (int i = 0; i < tables.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }
            AppendTable(sb, tables[i]);
        }
    }

    private static void AppendTable(StringBuilder sb, TableRef table)
    {
        sb.Append(Name(table.Name, TokenKind.SimpleName, TokenKind.TableName));
        if (table.Alias is not null)
        {
            sb.Append(" as ").Append(Name(table.Alias, TokenKind.SimpleName, TokenKind.TableName));
        }
    }

    private static void AppendList(StringBuilder sb, IReadOnlyList<Expr> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            AppendExpr(sb, values[i], 0);
        }
    }

    private static int Precedence(Expr expr) => expr switch
    {
        BinaryExpr { Op: BinaryOp.Or } => PrecOr,
        BinaryExpr { Op: BinaryOp.And } => PrecAnd,
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } => PrecAdditive,
        BinaryExpr { Op: BinaryOp.Multiply or BinaryOp.Divide } => PrecMultiplicative,
        BinaryExpr or InExpr => PrecComparison,
        _ => PrecPrimary,
    };

    /// <summary>Appends <paramref name="expr"/>, in parentheses when its precedence is below <paramref name="minPrecedence"/>.</summary>
    private static void AppendExpr(StringBuilder sb, Expr expr, int minPrecedence)
    {
        int precedence = Precedence(expr);
        bool parens = precedence < minPrecedence;
        if (parens)
        {
            sb.Append('(');
        }
        switch (expr)
        {
            case BinaryExpr binary:
                // Left-associative: the right operand needs parentheses at equal precedence.
                int left = binary.IsComparison ? PrecAdditive : precedence;
                int right = binary.IsComparison ? PrecAdditive : precedence + 1;
                AppendExpr(sb, binary.Left, left);
                sb.Append(' ').Append(BinaryExpr.OperatorText(binary.Op)).Append(' ');
                AppendExpr(sb, binary.Right, right);
                break;
            case InExpr inExpr:
                AppendExpr(sb, inExpr.Left, PrecAdditive);
                sb.Append(" in (");
                AppendList(sb, inExpr.Values);
                sb.Append(')');
                break;
            case AliasedExpr aliased:
                if (aliased.Expr is FunctionCall or NowExpr)
                {
                    AppendExpr(sb, aliased.Expr, 0);
                }
                else
                {
                    sb.Append('(');
                    AppendExpr(sb, aliased.Expr, 0);
                    sb.Append(')');
                }
                sb.Append(" as ").Append(Name(aliased.Alias, TokenKind.SimpleName));
                break;
            case FunctionCall call:
                sb.Append(Name(call.Name, TokenKind.SimpleName)).Append('(');
                AppendList(sb, call.Args);
                sb.Append(')');
                break;
            case NowExpr:
                sb.Append("now()");
                break;
            case ColumnRef column:
                sb.Append(Name(column.Name, TokenKind.SimpleName, TokenKind.TableName));
                break;
            case Wildcard:
                sb.Append('*');
                break;
            case NumberLiteral number:
                sb.Append(number.Text);
                break;
            case DurationLiteral duration:
                sb.Append(duration.Text);
                break;
            case BoolLiteral boolean:
                sb.Append(boolean.Text);
                break;
            case StringLiteral str:
                sb.Append('\'').Append(str.Value).Append('\'');
                break;
            case RegexLiteral regex:
                AppendRegex(sb, regex);
                break;
            default:
                throw new InvalidOperationException("BUG: unknown expression " + expr.GetType().Name);
        }
        if (parens)
        {
            sb.Append(')');
        }
    }

    private static void AppendRegex(StringBuilder sb, RegexLiteral regex)
    {
        sb.Append('/').Append(regex.Pattern.Replace("/", "\\/", StringComparison.Ordinal)).Append('/');
        if (regex.CaseInsensitive)
        {
            sb.Append('i');
        }
    }

    /// <summary>The name bare when it lexes back as itself, else double-quoted with <c>"</c> escaped.</summary>
    private static string Name(string name, TokenKind kind1, TokenKind kind2 = TokenKind.End, TokenKind kind3 = TokenKind.End) =>
        Lexer.IsBare(name, kind1, kind2, kind3) ? name : "\"" + name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // ---- 0.8's normalised text (GetQueryString) ----

    /// <summary>
    /// 0.8's normalised text of a statement (§10.1): select items joined by <c>,</c> without spaces,
    /// no parentheses, names unquoted except plain from-names (<c>"events"</c>), <c>(l) AND (r)</c>,
    /// an <c>in</c> list shows only its first value, <c>\/</c> in regexes printed as <c>/</c>.
    /// For a continuous query the caller removes the time conditions from the where clause first, as 0.8 does.
    /// </summary>
    public static string Print08(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var sb = new StringBuilder();
        switch (statement)
        {
            case SelectStatement select:
                sb.Append("select ");
                Append08List(sb, select.Columns);
                sb.Append(" from ");
                Append08From(sb, select.From);
                if (select.Where is not null)
                {
                    sb.Append(" where ");
                    Append08Condition(sb, select.Where);
                }
                if (select.GroupBy is { Elements.Count: > 0 } groupBy)
                {
                    sb.Append(" group by ");
                    Append08List(sb, groupBy.Elements);
                    if (groupBy.Fill is not null)
                    {
                        sb.Append(" fill(");
                        Append08Value(sb, groupBy.Fill);
                        sb.Append(')');
                    }
                }
                if (select.Limit is > 0)
                {
                    sb.Append(" limit ").Append(Math.Min(select.Limit.Value, int.MaxValue));
                }
                if (select.Ascending)
                {
                    sb.Append(" order asc");
                }
                if (select.Into is not null)
                {
                    sb.Append(" into ").Append(select.Into.Target);
                    if (select.Into.BackfillValue is not null)
                    {
                        sb.Append(" backfill(");
                        Append08Value(sb, select.Into.BackfillValue);
                        sb.Append(')');
                    }
                }
                break;
            case DeleteStatement delete:
                sb.Append("delete from ");
                Append08From(sb, delete.From);
                if (delete.Where is not null)
                {
                    sb.Append(" where ");
                    Append08Condition(sb, delete.Where);
                }
                break;
            case DropSeriesStatement drop:
                sb.Append("drop series ").Append(drop.Name);
                break;
            case DropContinuousQueryStatement drop:
                sb.Append("drop continuous query ").Append(drop.Id);
                break;
            case ListSeriesStatement:
                sb.Append("list series");
                break;
            case ListContinuousQueriesStatement:
                sb.Append("list continuous queries");
                break;
            default:
                throw new InvalidOperationException("BUG: unknown statement " + statement.GetType().Name);
        }
        return sb.ToString();
    }

    /// <summary>0.8's <c>Value.GetString</c> of one value (also what <c>backfill(…)</c> is checked against).</summary>
    public static string Print08Value(Expr value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder();
        Append08Value(sb, value);
        return sb.ToString();
    }

    private static void Append08From(StringBuilder sb, FromClause from)
    {
        switch (from.Kind)
        {
            case FromKind.Regex:
                Append08Regex(sb, RegexOf(from));
                break;
            case FromKind.Merge:
                sb.Append("merge(");
                for (int i = 0; i < from.Tables.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    sb.Append(from.Tables[i].Name);
                }
                sb.Append(')');
                break;
            case FromKind.Join when from.Tables.Count >= 2:
                // 0.8 prints only the first two tables of a join.
                Append08Table(sb, from.Tables[0]);
                sb.Append(" inner join ");
                Append08Table(sb, from.Tables[1]);
                break;
            case FromKind.Join:
                sb.Append("join(").Append(from.Tables[0].Name).Append(')');
                break;
            case FromKind.MergeRegex:
            case FromKind.JoinRegex:
                // 0.8 prints nothing at all here (its names list is empty); Strata shows the regex.
                sb.Append(from.Kind == FromKind.MergeRegex ? "merge(" : "join(");
                Append08Regex(sb, RegexOf(from));
                sb.Append(')');
                break;
            default:
                for (int i = 0; i < from.Tables.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    sb.Append('"').Append(from.Tables[i].Name).Append('"');
                }
                break;
        }
    }

    private static void Append08Table(StringBuilder sb, TableRef table)
    {
        sb.Append(table.Name);
        if (table.Alias is not null)
        {
            sb.Append(" as ").Append(table.Alias);
        }
    }

    private static void Append08Condition(StringBuilder sb, Expr condition)
    {
        if (condition is BinaryExpr { IsLogical: true } logical)
        {
            sb.Append('(');
            Append08Condition(sb, logical.Left);
            sb.Append(logical.Op == BinaryOp.And ? ") AND (" : ") OR (");
            Append08Condition(sb, logical.Right);
            sb.Append(')');
            return;
        }
        Append08Value(sb, condition);
    }

    private static void Append08List(StringBuilder sb, IReadOnlyList<Expr> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            Append08Value(sb, values[i]);
        }
    }

    private static void Append08Value(StringBuilder sb, Expr value)
    {
        switch (value)
        {
            case BinaryExpr { IsLogical: true }:
                Append08Condition(sb, value);
                break;
            case BinaryExpr binary:
                Append08Value(sb, binary.Left);
                sb.Append(' ').Append(BinaryExpr.OperatorText(binary.Op)).Append(' ');
                Append08Value(sb, binary.Right);
                break;
            case InExpr inExpr:
                Append08Value(sb, inExpr.Left);
                sb.Append(" in ");
                Append08Value(sb, inExpr.Values[0]);
                break;
            case AliasedExpr aliased:
                Append08Value(sb, aliased.Expr);
                sb.Append(" as ").Append(aliased.Alias);
                break;
            case FunctionCall call:
                sb.Append(call.Name).Append('(');
                Append08List(sb, call.Args);
                sb.Append(')');
                break;
            case NowExpr:
                sb.Append("now()");
                break;
            case ColumnRef column:
                sb.Append(column.Name);
                break;
            case Wildcard:
                sb.Append('*');
                break;
            case NumberLiteral number:
                sb.Append(number.Text);
                break;
            case DurationLiteral duration:
                sb.Append(duration.Text);
                break;
            case BoolLiteral boolean:
                sb.Append(boolean.Text);
                break;
            case StringLiteral str:
                sb.Append('\'').Append(str.Value).Append('\'');
                break;
            case RegexLiteral regex:
                Append08Regex(sb, regex);
                break;
            default:
                throw new InvalidOperationException("BUG: unknown expression " + value.GetType().Name);
        }
    }

    private static void Append08Regex(StringBuilder sb, RegexLiteral regex)
    {
        sb.Append('/').Append(regex.Pattern).Append('/');
        if (regex.CaseInsensitive)
        {
            sb.Append('i');
        }
    }
}
