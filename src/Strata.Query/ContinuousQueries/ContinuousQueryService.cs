using System.Globalization;
using Strata.Core;
using Strata.Query.Execution;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Meta;

namespace Strata.Query.ContinuousQueries;

/// <summary>
/// Continuous queries (query-language.md §10): creation with 0.8's checks and normalised text, list and drop,
/// fan-out copies on every write (no group by), and periodic runs of group-by-time queries, whose results are
/// written through the normal write path. Writes made here never trigger continuous queries.
/// </summary>
public sealed partial class ContinuousQueryService
{
    private readonly StorageEngine _storage;

    public ContinuousQueryService(StorageEngine storage) => _storage = storage;

    /// <summary>Stores <c>select … into …</c> as a continuous query (§10.1).</summary>
    public void Create(string database, SelectStatement select, long nowMicros)
    {
        if (select.GroupBy is { } groupBy && TimeInterval(groupBy) is null)
        {
            throw StrataException.BadRequest("Continuous queries with a group by clause must include time(...) as one of the elements");
        }

        var target = select.Into!.Target;
        if (target.Contains(":series_name", StringComparison.Ordinal) && select.From.Regex is { } regex && !PreventsRecursion(regex.Pattern, target))
        {
            throw StrataException.BadRequest("Continuous queries with :series_name interpolation must use a regular expression in the from clause that prevents recursion");
        }

        var withoutTime = TimeRange.Extract(select.Where, nowMicros * 1000).Remaining;
        var text = QueryPrinter.Print08(select with { Where = withoutTime });

        // Strata keeps a last-run time per query; backfill(false) starts from the creation time (§10.4 recommendation).
        long? lastRun = select.GroupBy is not null && !select.Into.Backfill ? nowMicros : null;
        _storage.Meta.AddContinuousQuery(database, text, QueryPrinter.Print(select), lastRun);
    }

    private static bool PreventsRecursion(string pattern, string target) =>
        (pattern.StartsWith('^') && !target.StartsWith(":series_name", StringComparison.Ordinal))
        || (pattern.EndsWith('$') && !target.EndsWith(":series_name", StringComparison.Ordinal));

    /// <summary>The group-by <c>time(D)</c> interval in µs, or null when the clause has none.</summary>
    public static long? TimeInterval(GroupByClause groupBy)
    {
        foreach (var element in groupBy.Elements)
        {
            if (element is FunctionCall { Name: "time" } call && call.Args.Count > 0 && call.Args[0] is DurationLiteral duration)
            {
                return Math.Max(1, duration.Microseconds);
            }
        }

        return null;
    }

    /// <summary><c>list continuous queries</c> (§10.6).</summary>
    public SeriesResult List(string database)
    {
        var result = new SeriesResult("continuous queries", ["id", "query"], hasSequence: false);
        foreach (var q in _storage.Meta.ListContinuousQueries(database))
        {
            result.Rows.Add(new ResultRow(0, 0, [FieldValue.FromInt64(q.Id), FieldValue.FromString(q.Text)]));
        }

        return result;
    }

    public void Drop(string database, int id) => _storage.Meta.DropContinuousQuery(database, id);

    private static SelectStatement ParseSource(ContinuousQuery query) =>
        (SelectStatement)QueryParser.Parse(query.Source)[0];

    /// <summary>Fan-out queries: copies every written point of a matching series, all columns, to the target (§10.2).</summary>
    public async Task AfterWriteAsync(DatabaseInfo database, WriteBatch written)
    {
        var queries = _storage.Meta.ListContinuousQueries(database.Name);
        if (queries.Count == 0)
        {
            return;
        }

        var output = new WriteBatch();
        foreach (var query in queries)
        {
            var select = ParseSource(query);
            if (select.GroupBy is not null)
            {
                continue;
            }

            foreach (var series in written.Series)
            {
                if (Matches(select.From, series.Name))
                {
                    CopyPoints(series, new TargetName(select.Into!.Target, series.Name), output);
                }
            }
        }

        if (output.Series.Count > 0)
        {
            await _storage.WriteAsync(database, output, Clock.NowMicros());
        }
    }

    private static bool Matches(FromClause from, string series)
    {
        switch (from.Kind)
        {
            case FromKind.Series:
                foreach (var table in from.Tables)
                {
                    if (table.Name == series)
                    {
                        return true;
                    }
                }

                return false;
            case FromKind.Regex:
                return Planner.CompileRegex(from.Regex!).IsMatch(series);
            default:
                return false;
        }
    }

    /// <summary>Copies points keeping their time and sequence number, grouped by interpolated target name.</summary>
    private static void CopyPoints(SeriesPoints source, TargetName target, WriteBatch output)
    {
        var keep = new List<int>();
        for (var c = 0; c < source.Columns.Count; c++)
        {
            if (!target.InterpolatedColumns.Contains(source.Columns[c]))
            {
                keep.Add(c);
            }
        }

        var columns = keep.ConvertAll(c => source.Columns[c]);
        if (columns.Count == 0)
        {
            return;
        }

        var byName = new Dictionary<string, SeriesPoints>(StringComparer.Ordinal);
        for (var p = 0; p < source.PointCount; p++)
        {
            var point = p;
            var name = target.For(column =>
            {
                var index = source.Columns.IndexOf(column);
                return index < 0 ? null : source.GetValue(point, index);
            });
            if (!byName.TryGetValue(name, out var copy))
            {
                copy = new SeriesPoints(name, columns);
                byName[name] = copy;
                output.Series.Add(copy);
            }

            copy.Times.Add(source.Times[p]);
            copy.Seqs.Add(source.Seqs[p]);
            copy.ClientSeq.Add(true);
            foreach (var c in keep)
            {
                copy.Values.Add(source.GetValue(p, c));
            }
        }
    }

    /// <summary>
    /// Runs every periodic query whose next bucket has closed: the window (trunc(last run, D), trunc(now, D)), or from
    /// the beginning of time on the first run (backfill). Results are written to the targets with sequence numbers
    /// 1, 2, … per (target, time), so re-running a window overwrites it.
    /// </summary>
    public async Task RunPeriodicAsync(QueryEngine engine, long nowMicros, Action<ContinuousQuery, Exception>? onError = null)
    {
        foreach (var query in _storage.Meta.AllContinuousQueries())
        {
            var select = ParseSource(query);
            if (select.GroupBy is not { } groupBy || TimeInterval(groupBy) is not { } interval)
            {
                continue;
            }

            var current = Planner.FloorDiv(nowMicros, interval) * interval;
            var last = query.LastRunMicros;
            if (last is { } l && current <= l)
            {
                continue;
            }

            try
            {
                await RunWindowAsync(engine, query, select, last is { } from ? Planner.FloorDiv(from, interval) * interval : null, current);
                _storage.Meta.SetContinuousQueryLastRun(query.Database, query.Id, current);
            }
            catch (Exception e) when (e is StrataException or QueryParseException)
            {
                onError?.Invoke(query, e);
            }
        }
    }

    private async Task RunWindowAsync(QueryEngine engine, ContinuousQuery query, SelectStatement select, long? startMicros, long endMicros)
    {
        var database = _storage.Meta.FindDatabase(query.Database);
        if (database is null)
        {
            return;
        }

        Expr where = new BinaryExpr(BinaryOp.Less, new ColumnRef("time"), Nanos(endMicros));
        if (startMicros is { } start)
        {
            where = new BinaryExpr(BinaryOp.And, where, new BinaryExpr(BinaryOp.Greater, new ColumnRef("time"), Nanos(start)));
        }

        if (select.Where is { } original)
        {
            where = new BinaryExpr(BinaryOp.And, original, where);
        }

        var collector = new Collector();
        await engine.ExecuteAsync(query.Database, select with { Where = where, Into = null }, Clock.NowMicros(), query.Source, collector, int.MaxValue);
        var output = new WriteBatch();
        foreach (var result in collector.Results)
        {
            AddResult(result, new TargetName(select.Into!.Target, result.Name), output);
        }

        if (output.Series.Count > 0)
        {
            await _storage.WriteAsync(database, output, Clock.NowMicros());
        }
    }

    private static NumberLiteral Nanos(long micros) =>
        new((micros * 1000).ToString(CultureInfo.InvariantCulture), IsInteger: true);

    private static void AddResult(SeriesResult result, TargetName target, WriteBatch output)
    {
        var keep = new List<int>();
        for (var c = 0; c < result.Columns.Count; c++)
        {
            if (!target.InterpolatedColumns.Contains(result.Columns[c]))
            {
                keep.Add(c);
            }
        }

        var columns = keep.ConvertAll(c => result.Columns[c]);
        if (columns.Count == 0)
        {
            return;
        }

        var byName = new Dictionary<string, SeriesPoints>(StringComparer.Ordinal);
        var sequence = new Dictionary<(string, long), long>();
        foreach (var row in result.Rows)
        {
            var name = target.For(column =>
            {
                var index = result.Columns.IndexOf(column);
                return index < 0 ? null : row.Values[index];
            });
            if (!byName.TryGetValue(name, out var series))
            {
                series = new SeriesPoints(name, columns);
                byName[name] = series;
                output.Series.Add(series);
            }

            var key = (name, row.Time);
            sequence[key] = sequence.GetValueOrDefault(key) + 1;
            series.Times.Add(row.Time);
            series.Seqs.Add(sequence[key]);
            series.ClientSeq.Add(true);
            foreach (var c in keep)
            {
                series.Values.Add(row.Values[c]);
            }
        }
    }

    private sealed class Collector : IQueryOutput
    {
        public List<SeriesResult> Results { get; } = [];

        public ValueTask EmitAsync(SeriesResult piece)
        {
            Results.Add(piece);
            return ValueTask.CompletedTask;
        }
    }
}
