using Strata.Core;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Index;
using Strata.Storage.Meta;
using Strata.Storage.Shards;

namespace Strata.Query.Execution;

/// <summary>
/// Runs a select without aggregation (query-language.md §6): per series, per shard in time order, the read columns
/// are merged into rows on (time, seq); a row exists when any read column has a value; the where condition filters;
/// the limit counts per series. Rows go out in pieces of at most <c>pieceSize</c>.
/// </summary>
public sealed class RawSelect
{
    private readonly StorageEngine _storage;

    public RawSelect(StorageEngine storage) => _storage = storage;

    public async Task RunAsync(DatabaseInfo? database, SelectPlan plan, IQueryOutput output, int pieceSize)
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

        var views = _storage.OpenShards(database.Id, plan.StartMicros, plan.EndMicros);
        try
        {
            if (!plan.Ascending)
            {
                views.Reverse();
            }

            foreach (var (entry, read, outputColumns) in prepared)
            {
                await RunSeriesAsync(entry, read, outputColumns, views, plan, output, pieceSize);
            }
        }
        finally
        {
            foreach (var view in views)
            {
                view.Dispose();
            }
        }
    }

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
                    foreach (var name in index.SortedNames())
                    {
                        if (regex.Pattern.IsMatch(name) && index.TryGet(name, out var match))
                        {
                            result.Add(match);
                        }
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>Read columns (select list ∪ where columns) and output columns for one series (query-language.md §6.3).</summary>
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

        return (entry, read, output);
    }

    private static IEnumerable<string> ConditionColumns(Condition condition)
    {
        switch (condition)
        {
            case AndCondition and:
                foreach (var c in ConditionColumns(and.Left))
                {
                    yield return c;
                }

                foreach (var c in ConditionColumns(and.Right))
                {
                    yield return c;
                }

                break;
            case OrCondition or:
                foreach (var c in ConditionColumns(or.Left))
                {
                    yield return c;
                }

                foreach (var c in ConditionColumns(or.Right))
                {
                    yield return c;
                }

                break;
            case CompareCondition { Left: ColumnOperand l } compare:
                yield return l.Name;
                if (compare.Right is ColumnOperand r)
                {
                    yield return r.Name;
                }

                break;
            case CompareCondition { Right: ColumnOperand r2 }:
                yield return r2.Name;
                break;
            case RegexCondition { Left: ColumnOperand l }:
                yield return l.Name;
                break;
            case InCondition { Left: ColumnOperand l }:
                yield return l.Name;
                break;
        }
    }

    private static async Task RunSeriesAsync(
        SeriesEntry entry,
        List<string> read,
        List<string> outputColumns,
        List<ShardView> views,
        SelectPlan plan,
        IQueryOutput output,
        int pieceSize)
    {
        var piece = new SeriesResult(entry.Name, outputColumns, hasSequence: true);
        var emitted = 0;
        var outputPositions = new int[outputColumns.Count];
        for (var i = 0; i < outputColumns.Count; i++)
        {
            outputPositions[i] = read.IndexOf(outputColumns[i]);
        }

        var columns = new ColumnData[read.Count];
        var rowValues = new FieldValue[read.Count];
        var rowHas = new bool[read.Count];
        bool Lookup(string column, out FieldValue value)
        {
            var position = read.IndexOf(column);
            if (position < 0)
            {
                value = default;
                return false;
            }

            value = rowHas[position] ? rowValues[position] : FieldValue.Null;
            return true;
        }

        foreach (var view in views)
        {
            for (var c = 0; c < read.Count; c++)
            {
                columns[c] = new ColumnData();
                StorageEngine.ReadColumn(view, entry.Id, read[c], plan.StartMicros, plan.EndMicros, columns[c]);
            }

            var cursor = new RowCursor(columns, plan.Ascending);
            while (cursor.Next(rowValues, rowHas, out var time, out var seq))
            {
                if (!ConditionEvaluator.Evaluate(plan.Where, Lookup, plan.QueryText))
                {
                    continue;
                }

                // Every cursor row has a value in some read column, so the point exists (§6.4) even when all
                // selected columns are null and only a where column has a value.
                var values = new FieldValue[outputColumns.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    var p = outputPositions[i];
                    if (p >= 0 && rowHas[p])
                    {
                        values[i] = rowValues[p];
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
