using Strata.Core;
using Strata.Query.Execution.Aggregation;
using Strata.Query.Parsing.Ast;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Meta;

namespace Strata.Query.Execution;

/// <summary>
/// Raw selects over <c>merge</c> and <c>inner join</c> from-clauses (query-language.md §8). Each source series is
/// read with the raw pipeline, then the rows are merged into one series named <c>merged</c> with an
/// <c>_orig_series</c> column, or paired into joined rows (each table's latest point; the first table's time).
/// </summary>
public sealed class MergeJoinSelect
{
    private readonly StorageEngine _storage;
    private readonly RawSelect _raw;

    public MergeJoinSelect(StorageEngine storage, RawSelect raw)
    {
        _storage = storage;
        _raw = raw;
    }

    public static bool Handles(SelectStatement select) =>
        select.From.Kind is FromKind.Merge or FromKind.MergeRegex or FromKind.Join or FromKind.JoinRegex;

    /// <summary>
    /// The series of the from clause. A regex expands to the sorted matching names, each of which the principal must
    /// be able to read: unlike a plain <c>from /re/</c>, a merge or join of an unreadable series fails the query
    /// (query-language.md §12.2; 0.8.8 answered 400, Strata 403 as recommended).
    /// </summary>
    private List<string> Tables(DatabaseInfo? database, FromClause from, QueryPrincipal principal)
    {
        if (from.Regex is { } regex)
        {
            var pattern = Planner.CompileRegex(regex);
            var index = database is null ? null : _storage.GetIndex(database.Id);
            var names = (index?.SortedNames() ?? []).FindAll(pattern.IsMatch);
            if (!names.TrueForAll(name => principal.CanRead(name)))
            {
                throw StrataException.Forbidden("User does not have access to one or more of the series requested.");
            }

            return names;
        }

        return from.Tables.Select(t => t.Name).ToList();
    }

    public async Task RunAsync(DatabaseInfo? database, SelectStatement select, long nowNanos, string queryText, IQueryOutput output, int pieceSize, QueryPrincipal principal)
    {
        if (select.From.Kind is FromKind.Merge or FromKind.MergeRegex)
        {
            await MergeAsync(database, select, nowNanos, queryText, output, pieceSize, principal);
        }
        else
        {
            await JoinAsync(database, select, nowNanos, output, pieceSize, principal);
        }
    }

    /// <summary>
    /// The merged or joined rows of an aggregate select go through the aggregator as one series (§8.1: <c>select
    /// count(value) from a merge b group by time(20s)</c> counts both series together).
    /// </summary>
    private static async Task AggregateAsync(SeriesResult rows, AggregatePlan aggregate, IQueryOutput output, int pieceSize)
    {
        var aggregator = new SeriesAggregator(aggregate, rows.Columns);
        foreach (var row in rows.Rows)
        {
            aggregator.Add(row.Time, row.Values);
        }

        await RawSelect.EmitAggregateAsync(rows.Name, aggregator, aggregate, output, pieceSize);
    }

    /// <summary>Reads one series through the raw pipeline: all its rows (no limit), in query order.</summary>
    private async Task<SeriesResult?> ReadAsync(DatabaseInfo? database, SelectPlan plan, string series)
    {
        var collector = new Collector();
        await _raw.RunAsync(database, plan with { Sources = [new NamedSource(series)], Limit = 0 }, collector, int.MaxValue);
        return collector.Result;
    }

    private async Task MergeAsync(DatabaseInfo? database, SelectStatement select, long nowNanos, string queryText, IQueryOutput output, int pieceSize, QueryPrincipal principal)
    {
        var tables = Tables(database, select.From, principal);
        var plan = Planner.PlanRaw(select with { From = FromClause.Series(tables.Count > 0 ? tables[0] : "merged") }, nowNanos, queryText);
        var aggregate = Planner.IsAggregate(select) ? AggregatePlan.Create(select, plan) : null;
        if (tables.Count == 0)
        {
            return;
        }

        var columns = new List<string>();
        var rows = new List<(ResultRow Row, SeriesResult Source, string Name)>();
        foreach (var table in tables)
        {
            if (await ReadAsync(database, plan, table) is not { } result)
            {
                continue;
            }

            foreach (var column in result.Columns)
            {
                if (!columns.Contains(column))
                {
                    columns.Add(column);
                }
            }

            foreach (var row in result.Rows)
            {
                rows.Add((row, result, table));
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        // Interleave by time in query order; a stable sort keeps each series' own order for equal times.
        var ordered = plan.Ascending
            ? rows.OrderBy(r => r.Row.Time).ThenBy(r => r.Row.Seq)
            : rows.OrderByDescending(r => r.Row.Time).ThenByDescending(r => r.Row.Seq);
        var merged = new SeriesResult("merged", [.. columns, "_orig_series"], hasSequence: true);
        foreach (var (row, source, name) in ordered)
        {
            var values = new FieldValue[columns.Count + 1];
            for (var i = 0; i < source.Columns.Count; i++)
            {
                values[columns.IndexOf(source.Columns[i])] = row.Values[i];
            }

            values[^1] = FieldValue.FromString(name);
            merged.Rows.Add(row with { Values = values });
            if (aggregate is null && plan.Limit > 0 && merged.Rows.Count >= plan.Limit)
            {
                break;
            }
        }

        if (aggregate is not null)
        {
            await AggregateAsync(merged, aggregate, output, pieceSize);
            return;
        }

        await output.EmitAsync(merged);
    }

    private async Task JoinAsync(DatabaseInfo? database, SelectStatement select, long nowNanos, IQueryOutput output, int pieceSize, QueryPrincipal principal)
    {
        var tables = select.From.Regex is null
            ? select.From.Tables.ToList()
            : Tables(database, select.From, principal).ConvertAll(name => new TableRef(name));
        if (tables.Count < 2)
        {
            throw StrataException.BadRequest("A join needs at least two series");
        }

        var prefixes = tables.ConvertAll(t => t.Alias ?? t.Name);
        if (tables.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != tables.Count)
        {
            throw StrataException.BadRequest("Cannot have the same table joined more than once");
        }

        var range = TimeRange.Extract(select.Where, nowNanos);
        var where = range.Remaining is null ? TrueCondition.Instance : Planner.ToCondition(range.Remaining);
        var joinPlan = Planner.PlanRaw(select with { From = FromClause.Series(tables[0].Name) }, nowNanos, string.Empty);
        var aggregate = Planner.IsAggregate(select) ? AggregatePlan.Create(select, joinPlan) : null;

        // Each table reads * (or the columns the select list and group by name with its prefix); the where runs on
        // joined rows.
        var referenced = new List<string>();
        foreach (var item in select.Columns)
        {
            Planner.CollectColumns(item, referenced);
        }

        foreach (var element in select.GroupBy?.Elements ?? [])
        {
            if (element is ColumnRef groupColumn)
            {
                referenced.Add(groupColumn.Name);
            }
        }

        var perTable = new List<SeriesResult>();
        for (var i = 0; i < tables.Count; i++)
        {
            var named = new List<Expr>();
            var selectAll = select.Columns.Any(c => c is Wildcard);
            foreach (var column in referenced.Distinct(StringComparer.Ordinal))
            {
                if (column.StartsWith(prefixes[i] + ".", StringComparison.Ordinal))
                {
                    named.Add(new ColumnRef(column[(prefixes[i].Length + 1)..]));
                }
            }

            var statement = new SelectStatement(selectAll || named.Count == 0 ? [new Wildcard()] : named, FromClause.Series(tables[i].Name), Order: select.Order);
            var plan = Planner.PlanRaw(statement, nowNanos, string.Empty) with
            {
                StartMicros = Planner.CeilDiv(range.StartNanos, 1000),
                EndMicros = Planner.FloorDiv(range.EndNanos, 1000),
            };
            perTable.Add(await ReadAsync(database, plan, tables[i].Name) ?? new SeriesResult(tables[i].Name, [], true));
        }

        var columns = new List<string>();
        var offsets = new int[tables.Count];
        for (var i = 0; i < tables.Count; i++)
        {
            offsets[i] = columns.Count;
            columns.AddRange(perTable[i].Columns.Select(c => prefixes[i] + "." + c));
        }

        var name = tables.Count >= 2
            ? $"{Describe(tables[0])} inner join {Describe(tables[1])}"
            : Describe(tables[0]);
        var joined = new SeriesResult(name, columns, hasSequence: false);
        var ascending = select.Ascending;
        var projection = joinPlan.Projection?.Select(p => Expressions.ValueExpression.Compile(p.Expr, columns.IndexOf)).ToArray();

        // One time-ordered stream of every table's points; emit when each table has a remembered point.
        var stream = new List<(long Time, int Table, ResultRow Row)>();
        for (var i = 0; i < tables.Count; i++)
        {
            foreach (var row in perTable[i].Rows)
            {
                stream.Add((row.Time, i, row));
            }
        }

        stream.Sort((x, y) => x.Time != y.Time ? (ascending ? x.Time.CompareTo(y.Time) : y.Time.CompareTo(x.Time)) : x.Table.CompareTo(y.Table));
        var latest = new ResultRow?[tables.Count];
        var limit = (int)Math.Min(select.Limit ?? 0, int.MaxValue);

        // Joined rows' errors carry no query text (query-language.md §8.2).
        var filter = RowCondition.Compile(where, columns, queryText: null);
        foreach (var (_, table, row) in stream)
        {
            latest[table] = row;
            if (Array.Exists(latest, r => r is null))
            {
                continue;
            }

            var values = new FieldValue[columns.Count];
            for (var i = 0; i < tables.Count; i++)
            {
                latest[i]!.Value.Values.CopyTo(values, offsets[i]);
            }

            var time = latest[0]!.Value.Time;
            Array.Clear(latest);
            if (!filter.Matches(values))
            {
                continue;
            }

            if (projection is not null)
            {
                values = Array.ConvertAll(projection, p => p.Evaluate(values));
            }

            joined.Rows.Add(new ResultRow(time, 0, values));
            if (aggregate is null && limit > 0 && joined.Rows.Count >= limit)
            {
                break;
            }
        }

        if (aggregate is not null)
        {
            await AggregateAsync(joined, aggregate, output, pieceSize);
        }
        else if (projection is not null && joined.Rows.Count > 0)
        {
            var projected = new SeriesResult(name, joinPlan.Projection!.Select(p => p.Name).ToList(), hasSequence: false);
            projected.Rows.AddRange(joined.Rows);
            await output.EmitAsync(projected);
        }
        else if (joined.Rows.Count > 0)
        {
            await output.EmitAsync(joined);
        }
    }

    private static string Describe(TableRef table) => table.Alias is null ? table.Name : $"{table.Name} as {table.Alias}";

    private sealed class Collector : IQueryOutput
    {
        public SeriesResult? Result { get; private set; }

        public ValueTask EmitAsync(SeriesResult piece)
        {
            if (Result is null)
            {
                Result = piece;
            }
            else
            {
                Result.Rows.AddRange(piece.Rows);
            }

            return ValueTask.CompletedTask;
        }
    }
}
