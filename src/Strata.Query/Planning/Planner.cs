using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Planning;

/// <summary>Turns a parsed select into a <see cref="SelectPlan"/>: from-clause sources, columns, time range and the remaining condition.</summary>
public static class Planner
{
    /// <summary>User regexes never backtrack, so no pattern can stall the server.</summary>
    public static Regex CompileRegex(RegexLiteral regex)
    {
        try
        {
            var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
            if (regex.CaseInsensitive)
            {
                options |= RegexOptions.IgnoreCase;
            }

            return new Regex(regex.Pattern, options);
        }
        catch (ArgumentException e)
        {
            throw StrataException.BadRequest($"Error parsing regex: {e.Message}");
        }
    }

    /// <summary>True when the select needs the aggregation engine (a top-level function call or group by).</summary>
    public static bool IsAggregate(SelectStatement select)
    {
        foreach (var column in select.Columns)
        {
            var inner = column is AliasedExpr aliased ? aliased.Expr : column;
            if (inner is FunctionCall)
            {
                return true;
            }
        }

        return false;
    }

    public static SelectPlan PlanRaw(SelectStatement select, long nowNanos, string queryText)
    {
        var sources = new List<FromSource>();
        switch (select.From.Kind)
        {
            case FromKind.Series:
                foreach (var table in select.From.Tables)
                {
                    sources.Add(new NamedSource(table.Name));
                }

                break;
            case FromKind.Regex:
                sources.Add(new RegexSource(CompileRegex(select.From.Regex!)));
                break;
            default:
                throw StrataException.BadRequest("merge and join queries are not supported by this Strata build yet");
        }

        var selectAll = false;
        var columns = new List<string>();
        var aggregate = IsAggregate(select);
        List<ProjectionColumn>? projection = null;
        for (var i = 0; i < select.Columns.Count; i++)
        {
            var item = select.Columns[i];
            switch (item)
            {
                case Wildcard:
                    selectAll = true;
                    break;
                case ColumnRef { Name: "time" or "sequence_number" }:
                    break;
                case ColumnRef column:
                    columns.Add(column.Name);
                    break;
                default:
                    CollectColumns(item, columns);
                    if (!aggregate)
                    {
                        projection ??= [];
                    }

                    break;
            }
        }

        if (projection is not null)
        {
            for (var i = 0; i < select.Columns.Count; i++)
            {
                switch (select.Columns[i])
                {
                    case ColumnRef { Name: "time" or "sequence_number" }:
                        break;
                    case ColumnRef column:
                        projection.Add(new ProjectionColumn(column.Name, column));
                        break;
                    case Wildcard:
                        throw StrataException.BadRequest("* cannot be combined with arithmetic in the select list");
                    case AliasedExpr aliased:
                        projection.Add(new ProjectionColumn(aliased.Alias, aliased.Expr));
                        break;
                    case var expr:
                        projection.Add(new ProjectionColumn("expr" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), expr));
                        break;
                }
            }
        }

        if (select.GroupBy is not null)
        {
            foreach (var element in select.GroupBy.Elements)
            {
                if (element is ColumnRef column)
                {
                    columns.Add(column.Name);
                }
            }
        }

        var range = TimeRange.Extract(select.Where, nowNanos);
        var where = range.Remaining is null ? TrueCondition.Instance : ToCondition(range.Remaining);
        return new SelectPlan(
            sources,
            selectAll,
            columns,
            where,
            CeilDiv(range.StartNanos, 1000),
            FloorDiv(range.EndNanos, 1000),
            (int)Math.Min(select.Limit ?? 0, int.MaxValue),
            select.Ascending,
            queryText)
        {
            StartSpecified = range.StartSpecified,
            Projection = projection,
        };
    }

    /// <summary>The columns an expression or function call reads (query-language.md §6.3); <c>*</c> inside a call reads none.</summary>
    public static void CollectColumns(Expr expr, List<string> columns)
    {
        switch (expr)
        {
            case ColumnRef column:
                columns.Add(column.Name);
                break;
            case AliasedExpr aliased:
                CollectColumns(aliased.Expr, columns);
                break;
            case BinaryExpr binary:
                CollectColumns(binary.Left, columns);
                CollectColumns(binary.Right, columns);
                break;
            case FunctionCall call:
                foreach (var argument in call.Args)
                {
                    CollectColumns(argument, columns);
                }

                break;
        }
    }

    /// <summary>Floor division (toward −∞), for converting nanosecond bounds to µs.</summary>
    public static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    /// <summary>Ceiling division (toward +∞).</summary>
    public static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    public static Condition ToCondition(Expr expr)
    {
        switch (expr)
        {
            case BinaryExpr { Op: BinaryOp.And } and:
                return new AndCondition(ToCondition(and.Left), ToCondition(and.Right));
            case BinaryExpr { Op: BinaryOp.Or } or:
                return new OrCondition(ToCondition(or.Left), ToCondition(or.Right));
            case BinaryExpr { Op: BinaryOp.RegexMatch or BinaryOp.RegexNotMatch, Right: RegexLiteral regex } match:
                return new RegexCondition(ToOperand(match.Left), CompileRegex(regex), match.Op == BinaryOp.RegexNotMatch);
            case BinaryExpr { Op: BinaryOp.Equal, Left: ColumnRef { Name: "time" } } timeEquals:
                // `time = X` stays as a filter on a column no point has (query-language.md §5.4 item 4).
                return new CompareCondition(CompareOp.Equal, new ColumnOperand("time"), new LiteralOperand(FieldValue.FromInt64(TimeRange.Evaluate(timeEquals.Right, 0))));
            case BinaryExpr { IsComparison: true } compare when compare.Op is not (BinaryOp.RegexMatch or BinaryOp.RegexNotMatch):
                return new CompareCondition(ToCompareOp(compare.Op), ToOperand(compare.Left), ToOperand(compare.Right));
            case InExpr @in:
                var values = new List<Operand>(@in.Values.Count);
                foreach (var v in @in.Values)
                {
                    values.Add(ToOperand(v));
                }

                return new InCondition(ToOperand(@in.Left), values);
            case FunctionCall call:
                throw StrataException.BadRequest($"Invalid boolean operator {call.Name}");
            default:
                throw StrataException.BadRequest("Invalid where expression");
        }
    }

    private static CompareOp ToCompareOp(BinaryOp op) => op switch
    {
        BinaryOp.Equal => CompareOp.Equal,
        BinaryOp.NotEqual => CompareOp.NotEqual,
        BinaryOp.Less => CompareOp.Less,
        BinaryOp.LessOrEqual => CompareOp.LessOrEqual,
        BinaryOp.Greater => CompareOp.Greater,
        _ => CompareOp.GreaterOrEqual,
    };

    private static Operand ToOperand(Expr expr) => expr switch
    {
        ColumnRef column => new ColumnOperand(column.Name),
        NumberLiteral number => new LiteralOperand(number.TryGetInt64(out var i) ? FieldValue.FromInt64(i) : FieldValue.FromDouble(number.ToDouble())),
        StringLiteral text => new LiteralOperand(FieldValue.FromString(text.Value)),
        BoolLiteral boolean => new LiteralOperand(FieldValue.FromBool(boolean.Value)),
        FunctionCall call => throw StrataException.BadRequest($"Cannot process function call {call.Name} in expression"),
        DurationLiteral => throw StrataException.BadRequest("Cannot evaluate expression"),
        BinaryExpr { IsArithmetic: true } => new ExpressionOperand(expr),
        _ => throw StrataException.BadRequest("Cannot evaluate expression"),
    };
}
