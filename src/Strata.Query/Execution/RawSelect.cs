using Strata.Core;
using Strata.Query.Execution.Aggregation;
using Strata.Query.Execution.Expressions;
using Strata.Query.Execution.Functions;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Index;
using Strata.Storage.Meta;
using Strata.Storage.Segments;
using Strata.Storage.Shards;

namespace Strata.Query.Execution;

/// <summary>
/// Runs a select over plain series (query-language.md §6, §7): per series, per shard in time order, the read columns
/// are merged into rows on (time, seq); a row exists when any read column has a value; the where condition filters.
/// Raw rows (or their arithmetic projection) go out in pieces of at most <c>pieceSize</c> with the limit counted per
/// series; with an <see cref="AggregatePlan"/> the rows feed a <see cref="SeriesAggregator"/> instead.
/// </summary>
public sealed class RawSelect
{
    private readonly StorageEngine _storage;

    public RawSelect(StorageEngine storage) => _storage = storage;

    public async Task RunAsync(DatabaseInfo? database, SelectPlan plan, IQueryOutput output, int pieceSize, AggregatePlan? aggregate = null)
    {
        var series = ResolveSeries(database, plan);
        if (series.Count == 0 || database is null)
        {
            return;
        }

        var index = _storage.GetIndex(database.Id)!;
        var prepared = new List<(SeriesEntry Entry, List<string> Read, List<string> Output)>(series.Count);
        foreach (var entry in series)
        {
            prepared.Add(Prepare(index, entry, plan));
        }

        // Read before any view is opened: a last point computed from those views is kept only if nothing changed since.
        var lastPoints = aggregate is null && LastPointQuery(plan) ? new LastPointLookup(_storage, database.Id, plan) : null;
        var views = _storage.OpenShards(database.Id, plan.StartMicros, plan.EndMicros);
        try
        {
            if (!plan.Ascending)
            {
                views.Reverse();
            }

            // Column buffers are reused from series to series: a scan allocates per column, not per point.
            var buffers = new List<ColumnData>();
            foreach (var (entry, read, outputColumns) in prepared)
            {
                if (lastPoints is not null && lastPoints.TryAnswer(entry, read, buffers) is { } answer)
                {
                    if (answer.Row is { } row)
                    {
                        var piece = new SeriesResult(entry.Name, outputColumns, hasSequence: true);
                        piece.Rows.Add(row);
                        await output.EmitAsync(piece);
                    }

                    continue;
                }

                var scan = new SeriesScan(entry, read, plan, buffers);
                if (aggregate is null)
                {
                    await RunSeriesAsync(entry, scan, outputColumns, views, plan, output, pieceSize);
                }
                else
                {
                    await AggregateSeriesAsync(entry, scan, read, views, plan, aggregate, output, pieceSize, _storage.Metrics);
                }
            }
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }

            lastPoints?.Dispose();
        }
    }

    /// <summary><c>select * from … limit 1</c> in the default (newest first) order, without a where clause.</summary>
    private static bool LastPointQuery(SelectPlan plan) =>
        plan.SelectAll && plan.Where is TrueCondition && plan.Limit == 1 && !plan.Ascending && plan.Projection is null;

    /// <summary>The series a from-clause names: names must exist; regexes match the sorted series list.</summary>
    private List<SeriesEntry> ResolveSeries(DatabaseInfo? database, SelectPlan plan)
    {
        var index = database is null ? null : _storage.GetIndex(database.Id);
        var result = new List<SeriesEntry>();
        foreach (var source in plan.Sources)
        {
            switch (source)
            {
                case NamedSource named:
                    if (index is null || !index.TryGet(named.Name, out var entry))
                    {
                        throw StrataException.BadRequest($"Couldn't find series: {named.Name}");
                    }

                    result.Add(entry);
                    break;
                case RegexSource regex when index is not null:
                    foreach (var match in index.SortedEntries())
                    {
                        if (regex.Pattern.IsMatch(match.Name))
                        {
                            result.Add(match);
                        }
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// Read columns (named columns ∪ where columns) and output columns for one series (query-language.md §6.3):
    /// explicit columns sorted by name, <c>*</c> in first-written order, an arithmetic select's projection names.
    /// </summary>
    private static (SeriesEntry, List<string>, List<string>) Prepare(SeriesIndex index, SeriesEntry entry, SelectPlan plan)
    {
        var all = index.GetColumns(entry);
        if (plan.SelectAll)
        {
            return (entry, all, all);
        }

        var output = new List<string>();
        foreach (var column in plan.Columns)
        {
            if (!all.Contains(column))
            {
                throw StrataException.BadRequest($"Field {column} doesn't exist in series {entry.Name}");
            }

            if (!output.Contains(column))
            {
                output.Add(column);
            }
        }

        output.Sort(StringComparer.Ordinal);
        var read = new List<string>(output);
        foreach (var column in ConditionColumns(plan.Where))
        {
            if (!all.Contains(column))
            {
                throw StrataException.BadRequest($"Field {column} doesn't exist in series {entry.Name}");
            }

            if (!read.Contains(column))
            {
                read.Add(column);
            }
        }

        if (plan.Projection is { } projection)
        {
            output = projection.Select(p => p.Name).ToList();
        }

        return (entry, read, output);
    }

    private static IEnumerable<string> ConditionColumns(Condition condition)
    {
        var columns = new List<string>();
        void Operand(Operand operand)
        {
            switch (operand)
            {
                case ColumnOperand column:
                    columns.Add(column.Name);
                    break;
                case ExpressionOperand expression:
                    Planner.CollectColumns(expression.Expr, columns);
                    break;
            }
        }

        void Walk(Condition c)
        {
            switch (c)
            {
                case AndCondition and:
                    Walk(and.Left);
                    Walk(and.Right);
                    break;
                case OrCondition or:
                    Walk(or.Left);
                    Walk(or.Right);
                    break;
                case CompareCondition compare:
                    Operand(compare.Left);
                    Operand(compare.Right);
                    break;
                case RegexCondition regex:
                    Operand(regex.Left);
                    break;
                case InCondition @in:
                    Operand(@in.Left);
                    break;
            }
        }

        Walk(condition);
        return columns;
    }

    private static async Task RunSeriesAsync(
        SeriesEntry entry,
        SeriesScan scan,
        List<string> outputColumns,
        List<ShardView> views,
        SelectPlan plan,
        IQueryOutput output,
        int pieceSize)
    {
        var piece = new SeriesResult(entry.Name, outputColumns, hasSequence: true);
        var emitted = 0;
        var outputPositions = new int[outputColumns.Count];
        ValueExpression[]? projection = null;
        if (plan.Projection is { } columns)
        {
            projection = columns.Select(c => ValueExpression.Compile(c.Expr, scan.Columns.IndexOf)).ToArray();
        }
        else
        {
            for (var i = 0; i < outputColumns.Count; i++)
            {
                outputPositions[i] = scan.Columns.IndexOf(outputColumns[i]);
            }
        }

        foreach (var view in views)
        {
            scan.Load(view, fold: null, plan.Limit > 0 ? plan.Limit - emitted : 0);
            while (scan.Next(out var time, out var seq))
            {
                // Every scanned row has a value in some read column, so the point exists (§6.4) even when all
                // selected columns are null and only a where column has a value.
                var values = new FieldValue[outputColumns.Count];
                if (projection is not null)
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = projection[i].Evaluate(scan.Values);
                    }
                }
                else
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        var p = outputPositions[i];
                        if (p >= 0)
                        {
                            values[i] = scan.Values[p];
                        }
                    }
                }

                piece.Rows.Add(new ResultRow(time, seq, values));
                emitted++;
                if (piece.Rows.Count >= pieceSize)
                {
                    await output.EmitAsync(piece);
                    piece = new SeriesResult(entry.Name, outputColumns, hasSequence: true);
                }

                if (plan.Limit > 0 && emitted >= plan.Limit)
                {
                    goto done;
                }
            }
        }

    done:
        if (piece.Rows.Count > 0)
        {
            await output.EmitAsync(piece);
        }
    }

    /// <summary>
    /// Aggregates one series. When the plan allows it (one read column, only count, sum, min, max and mean, no
    /// group-by columns, no value condition or one <c>column op number</c>), segment blocks are folded in whole by
    /// an <see cref="AggregateFolder"/>; the rest goes row by row.
    /// </summary>
    private static async Task AggregateSeriesAsync(
        SeriesEntry entry,
        SeriesScan scan,
        List<string> read,
        List<ShardView> views,
        SelectPlan plan,
        AggregatePlan aggregate,
        IQueryOutput output,
        int pieceSize,
        StorageMetrics metrics)
    {
        var aggregator = new SeriesAggregator(aggregate, read);
        var fold = AggregateFolder.TryCreate(aggregate, read, plan.Where, aggregator, metrics);
        foreach (var view in views)
        {
            scan.Load(view, fold);
            while (scan.Next(out var time, out _))
            {
                aggregator.Add(time, scan.Values);
            }
        }

        await EmitAggregateAsync(entry.Name, aggregator, aggregate, output, pieceSize);
    }

    /// <summary>Emits an aggregated series in pieces; a series without rows is not emitted at all.</summary>
    internal static async Task EmitAggregateAsync(string name, SeriesAggregator aggregator, AggregatePlan aggregate, IQueryOutput output, int pieceSize)
    {
        var columns = aggregate.OutputColumns.ToList();
        var piece = new SeriesResult(name, columns, hasSequence: false);
        foreach (var (time, values) in aggregator.Finish())
        {
            piece.Rows.Add(new ResultRow(time, 0, values));
            if (piece.Rows.Count >= pieceSize)
            {
                await output.EmitAsync(piece);
                piece = new SeriesResult(name, columns, hasSequence: false);
            }
        }

        if (piece.Rows.Count > 0)
        {
            await output.EmitAsync(piece);
        }
    }
}

/// <summary>
/// The rows of one series in one shard view after the where filter: the read columns are loaded, then walked in
/// lock-step. <see cref="Values"/> holds the current row (null where a column has no value).
/// </summary>
internal sealed class SeriesScan
{
    private readonly SeriesEntry _entry;
    private readonly List<string> _read;
    private readonly SelectPlan _plan;
    private readonly ColumnData[] _columns;
    private readonly bool[] _has;
    private readonly RowCondition? _where;
    private RowCursor _cursor;

    /// <param name="buffers">Column buffers shared by the scans of one query, one per read column, grown as needed.</param>
    public SeriesScan(SeriesEntry entry, List<string> read, SelectPlan plan, List<ColumnData> buffers)
    {
        _entry = entry;
        _read = read;
        _plan = plan;
        while (buffers.Count < read.Count)
        {
            buffers.Add(new ColumnData());
        }

        _columns = buffers.GetRange(0, read.Count).ToArray();
        Values = new FieldValue[read.Count];
        _has = new bool[read.Count];
        _where = plan.Where is TrueCondition ? null : RowCondition.Compile(plan.Where, read, plan.QueryText);
    }

    public FieldValue[] Values { get; }

    /// <summary>The read columns, in the order of <see cref="Values"/>.</summary>
    public List<string> Columns => _read;

    /// <param name="limit">Rows still wanted from this view and older ones (0: all); without a where clause only the blocks at the query's end are decoded.</param>
    public void Load(ShardView view, IBlockFolder? fold, long limit = 0)
    {
        var read = _where is null && limit > 0 ? new ReadLimit(limit, _plan.Ascending) : default;
        for (var c = 0; c < _read.Count; c++)
        {
            StorageEngine.ReadColumn(view, _entry.Id, _read[c], _plan.StartMicros, _plan.EndMicros, _columns[c], fold, read);
        }

        _cursor = new RowCursor(_columns, _plan.Ascending);
    }

    public bool Next(out long time, out long seq)
    {
        while (_cursor.Next(Values, _has, out time, out seq))
        {
            if (_where is null || _where.Matches(Values))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Walks several columns (each sorted by (time, seq)) in lock-step, yielding one row per distinct key.</summary>
internal struct RowCursor
{
    private readonly ColumnData[] _columns;
    private readonly int[] _positions;
    private readonly bool _ascending;

    public RowCursor(ColumnData[] columns, bool ascending)
    {
        _columns = columns;
        _ascending = ascending;
        _positions = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            _positions[i] = ascending ? 0 : columns[i].Count - 1;
        }
    }

    public bool Next(FieldValue[] values, bool[] has, out long time, out long seq)
    {
        var found = false;
        time = 0;
        seq = 0;
        for (var c = 0; c < _columns.Length; c++)
        {
            var p = _positions[c];
            if (p < 0 || p >= _columns[c].Count)
            {
                continue;
            }

            var t = _columns[c].Times[p];
            var s = _columns[c].Seqs[p];
            if (!found || (_ascending ? ColumnData.CompareKeys(t, s, time, seq) < 0 : ColumnData.CompareKeys(t, s, time, seq) > 0))
            {
                time = t;
                seq = s;
                found = true;
            }
        }

        if (!found)
        {
            return false;
        }

        for (var c = 0; c < _columns.Length; c++)
        {
            var p = _positions[c];
            if (p >= 0 && p < _columns[c].Count && _columns[c].Times[p] == time && _columns[c].Seqs[p] == seq)
            {
                values[c] = _columns[c].Values[p];
                has[c] = true;
                _positions[c] = _ascending ? p + 1 : p - 1;
            }
            else
            {
                values[c] = FieldValue.Null;
                has[c] = false;
            }
        }

        return true;
    }
}

/// <summary>
/// Answers <c>select * from … limit 1</c> per series from the engine's last points (issue 6, G5). On a miss it reads
/// the series' newest row over every shard from the query's start on — so it is the newest row there is — keeps it for
/// the next query, and answers from it when it lies inside the query's range; a newest row after the range's end
/// (a future point) leaves the series to the ordinary scan.
/// </summary>
internal sealed class LastPointLookup(StorageEngine storage, uint databaseId, SelectPlan plan) : IDisposable
{
    private readonly long _generation = storage.LastPointGeneration(databaseId);
    private readonly int _spaceVersion = storage.Meta.ShardSpaceVersion;
    private List<ShardView>? _views;

    /// <summary>The answer for the series (its row, or none in range), or null when the ordinary scan must answer.</summary>
    public Answer? TryAnswer(SeriesEntry entry, List<string> columns, List<ColumnData> buffers)
    {
        if (storage.TryGetLastPoint(databaseId, entry.Id, out var point))
        {
            Interlocked.Increment(ref storage.Metrics.LastPointsServed);
        }
        else
        {
            if (Newest(entry, columns, buffers) is not { } newest)
            {
                // Nothing from the start on; the scan would find nothing either.
                return new Answer(null);
            }

            point = newest;
            storage.StoreLastPoint(databaseId, entry.Id, point, _generation, _spaceVersion);
        }

        if (point.Time > plan.EndMicros)
        {
            return null;
        }

        if (point.Time < plan.StartMicros)
        {
            return new Answer(null);
        }

        var values = new FieldValue[columns.Count];
        for (var c = 0; c < point.Columns.Length; c++)
        {
            var position = columns.IndexOf(point.Columns[c]);
            if (position >= 0)
            {
                values[position] = point.Values[c];
            }
        }

        return new Answer(new ResultRow(point.Time, point.Seq, values));
    }

    private LastPoint? Newest(SeriesEntry entry, List<string> columns, List<ColumnData> buffers)
    {
        if (_views is null)
        {
            _views = storage.OpenShards(databaseId, plan.StartMicros, long.MaxValue);
            _views.Reverse();
        }

        var scan = new SeriesScan(entry, columns, plan with { EndMicros = long.MaxValue }, buffers);
        foreach (var view in _views)
        {
            scan.Load(view, fold: null, limit: 1);
            if (scan.Next(out var time, out var seq))
            {
                var names = new List<string>();
                var values = new List<FieldValue>();
                for (var c = 0; c < columns.Count; c++)
                {
                    if (!scan.Values[c].IsNull)
                    {
                        names.Add(columns[c]);
                        values.Add(scan.Values[c]);
                    }
                }

                return new LastPoint(time, seq, [.. names], [.. values]);
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var view in _views ?? [])
        {
            view.Dispose();
        }
    }

    /// <summary>The series' one row, or null when it has none in the query's range.</summary>
    public sealed record Answer(ResultRow? Row);
}
