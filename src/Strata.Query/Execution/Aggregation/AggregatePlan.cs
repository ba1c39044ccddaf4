using Strata.Core;
using Strata.Query.Execution.Functions;
using Strata.Query.Parsing.Ast;
using Strata.Query.Planning;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// What an aggregate select computes for every output series (query-language.md §7): the functions of the select
/// list in order, the group-by columns, the time buckets, fill, limit and order. Output columns are the functions'
/// columns followed by the group-by columns; plain columns of the select list are ignored.
/// </summary>
public sealed class AggregatePlan
{
    /// <summary>The most buckets one filled series may produce; 0.8.8 would try and run out of memory.</summary>
    public const long MaxFilledBuckets = 10_000_000;

    private AggregatePlan(
        IReadOnlyList<AggregateFunction> functions,
        IReadOnlyList<string> groupColumns,
        TimeBuckets? buckets,
        bool fill,
        FieldValue fillValue,
        (long Start, long End)? fillRange,
        bool hasValueCondition,
        bool ascending,
        int limit)
    {
        Functions = functions;
        GroupColumns = groupColumns;
        Buckets = buckets;
        Fill = fill;
        FillValue = fillValue;
        FillRange = fillRange;
        HasValueCondition = hasValueCondition;
        Ascending = ascending;
        Limit = limit;
        var columns = new List<string>();
        foreach (var function in functions)
        {
            columns.AddRange(function.Columns);
        }

        columns.AddRange(groupColumns);
        OutputColumns = columns;
    }

    public IReadOnlyList<AggregateFunction> Functions { get; }

    /// <summary>The group-by names other than <c>time()</c>, in group-by order.</summary>
    public IReadOnlyList<string> GroupColumns { get; }

    /// <summary>The <c>time()</c> buckets, or null (one group per value combination, time 0).</summary>
    public TimeBuckets? Buckets { get; }

    /// <summary>True with <c>fill(…)</c> and <c>group by time()</c>; fill without time() has no effect (§7.4).</summary>
    public bool Fill { get; }

    /// <summary>The value of functions over an empty bucket: the fill value, or null.</summary>
    public FieldValue FillValue { get; }

    /// <summary>With a start-time condition, fill covers every bucket from trunc(start) to trunc(end or now) (§7.4).</summary>
    public (long Start, long End)? FillRange { get; }

    /// <summary>The where clause has a condition besides time (then a series with no passing point stays empty).</summary>
    public bool HasValueCondition { get; }

    public bool Ascending { get; }

    /// <summary>Rows per output series, 0 for no limit (§6.7).</summary>
    public int Limit { get; }

    public IReadOnlyList<string> OutputColumns { get; }

    /// <summary>
    /// True when whole blocks may be folded in from their statistics: there are no group-by columns and every function
    /// folds them over a plain column or no value at all. The caller also requires the series to read a single column
    /// and the where clause to hold only time conditions (§7.5: then every point of a numeric block is one value).
    /// </summary>
    public bool FoldsBlocks { get; private init; }

    /// <summary>True when a folded block's exact sum is needed (sum or mean), not only its count, min and max.</summary>
    public bool FoldsBlockSums { get; private init; }

    public static AggregatePlan Create(SelectStatement select, SelectPlan raw)
    {
        var fillValue = FieldValue.Null;
        var fill = select.GroupBy?.Fill is not null;
        var functions = new List<AggregateFunction>();
        foreach (var item in select.Columns)
        {
            var (expr, alias) = item is AliasedExpr aliased ? (aliased.Expr, aliased.Alias) : (item, null);
            if (expr is FunctionCall call)
            {
                // Each function checks its arguments before the fill value, as 0.8's initialisers do.
                functions.Add(FunctionRegistry.Create(call, alias));
                fillValue = FunctionRegistry.ParseFill(select.GroupBy?.Fill);
            }
        }

        var groupColumns = new List<string>();
        foreach (var element in select.GroupBy?.Elements ?? [])
        {
            if (element is ColumnRef column)
            {
                groupColumns.Add(column.Name);
            }
        }

        var buckets = TimeBuckets.From(select.GroupBy);
        fill &= buckets is not null;
        if (fill && !buckets!.CanFill)
        {
            throw StrataException.BadRequest("fill() needs a group by time() interval of at least 1u");
        }

        (long, long)? fillRange = fill && raw.StartSpecified
            ? (buckets!.BucketOf(raw.StartMicros), buckets.BucketOf(raw.EndMicros))
            : null;
        return new AggregatePlan(functions, groupColumns, buckets, fill, fillValue, fillRange, raw.Where is not TrueCondition, select.Ascending, raw.Limit)
        {
            FoldsBlocks = groupColumns.Count == 0 && functions.TrueForAll(f => f.FoldsBlockStatistics && f.Argument is null or ColumnRef),
            FoldsBlockSums = functions.Exists(f => f.FoldsBlockSums),
        };
    }
}
