using Strata.Core;
using Strata.Query.Parsing.Ast;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Meta;

namespace Strata.Query.Execution;

/// <summary>
/// <c>select … from s where time = T and sequence_number = S</c> (query-language.md §6.12): one row with the columns
/// that have a value at (T, S); a point that does not exist still gives a row of just time and sequence number.
/// </summary>
public sealed class SinglePointSelect
{
    private readonly StorageEngine _storage;

    public SinglePointSelect(StorageEngine storage) => _storage = storage;

    /// <summary>The (time, sequence number) when the where clause is the single-point form, time first.</summary>
    public static bool TryMatch(SelectStatement select, out Expr time, out Expr sequence)
    {
        time = null!;
        sequence = null!;
        if (select.Where is BinaryExpr
            {
                Op: BinaryOp.And,
                Left: BinaryExpr { Op: BinaryOp.Equal, Left: ColumnRef { Name: "time" }, Right: var t },
                Right: BinaryExpr { Op: BinaryOp.Equal, Left: ColumnRef { Name: "sequence_number" }, Right: var s },
            } && select.From.Kind == FromKind.Series && !Planner.IsAggregate(select))
        {
            time = t;
            sequence = s;
            return true;
        }

        return false;
    }

    public async Task RunAsync(DatabaseInfo? database, SelectStatement select, Expr timeExpr, Expr sequenceExpr, IQueryOutput output)
    {
        if (sequenceExpr is not NumberLiteral { IsInteger: true } number || !number.TryGetInt64(out var sequence) || sequence < 0)
        {
            throw StrataException.BadRequest("The column sequence_number can only be queried as an integer.");
        }

        var time = Planner.FloorDiv(TimeRange.Evaluate(timeExpr, 0), 1000);
        var index = database is null ? null : _storage.GetIndex(database.Id);
        foreach (var table in select.From.Tables)
        {
            if (index is null || !index.TryGet(table.Name, out var entry))
            {
                throw StrataException.BadRequest($"Couldn't find series: {table.Name}");
            }

            var all = index.GetColumns(entry);
            var wanted = new List<string>();
            foreach (var item in select.Columns)
            {
                switch (item)
                {
                    case Wildcard:
                        wanted.AddRange(all);
                        break;
                    case ColumnRef { Name: "time" or "sequence_number" }:
                        break;
                    case ColumnRef column when !all.Contains(column.Name):
                        throw StrataException.BadRequest($"Field {column.Name} doesn't exist in series {table.Name}");
                    case ColumnRef column:
                        wanted.Add(column.Name);
                        break;
                }
            }

            var columns = new List<string>();
            var values = new List<FieldValue>();
            var views = _storage.OpenShards(database!.Id, time, time);
            try
            {
                foreach (var column in wanted.Distinct(StringComparer.Ordinal))
                {
                    var data = new ColumnData();
                    foreach (var view in views)
                    {
                        StorageEngine.ReadColumn(view, entry.Id, column, time, time, data);
                        for (var i = 0; i < data.Count; i++)
                        {
                            if (data.Seqs[i] == sequence)
                            {
                                columns.Add(column);
                                values.Add(data.Values[i]);
                            }
                        }
                    }
                }
            }
            finally
            {
                foreach (var view in views)
                {
                    view.Dispose();
                }
            }

            var result = new SeriesResult(table.Name, columns, hasSequence: true);
            result.Rows.Add(new ResultRow(time, sequence, [.. values]));
            await output.EmitAsync(result);
        }
    }
}
