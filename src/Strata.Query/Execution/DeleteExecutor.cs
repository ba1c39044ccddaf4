using Strata.Core;
using Strata.Query.Parsing.Ast;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Meta;

namespace Strata.Query.Execution;

/// <summary>
/// <c>delete from NAME|/re/|a, b [where time conditions]</c> (query-language.md §11.1): only start and end time
/// conditions are allowed, the select's default range applies (so without an end only points up to now go), plain
/// names must exist, and the series and their columns stay.
/// </summary>
public sealed class DeleteExecutor
{
    private readonly StorageEngine _storage;

    public DeleteExecutor(StorageEngine storage) => _storage = storage;

    public Task RunAsync(DatabaseInfo? database, DeleteStatement delete, long nowNanos)
    {
        var kind = delete.From.Kind;
        if (kind is not (FromKind.Series or FromKind.Regex))
        {
            // 0.8 prints its internal from-clause type: merge 1, join 2, merge(/re/) 3, join(/re/) 4.
            var code = kind switch
            {
                FromKind.Merge => 1,
                FromKind.Join => 2,
                FromKind.MergeRegex => 3,
                _ => 4,
            };
            throw StrataException.BadRequest($"Merge and Inner joins can't be used with a delete query: {code}");
        }

        var range = TimeRange.Extract(delete.Where, nowNanos);
        if (range.Remaining is not null)
        {
            throw StrataException.BadRequest("Delete queries can't have where clause that don't reference time");
        }

        var index = database is null ? null : _storage.GetIndex(database.Id);
        var series = new List<string>();
        if (kind == FromKind.Regex)
        {
            var regex = Planner.CompileRegex(delete.From.Regex!);
            foreach (var name in index?.SortedNames() ?? [])
            {
                if (regex.IsMatch(name))
                {
                    series.Add(name);
                }
            }
        }
        else
        {
            foreach (var table in delete.From.Tables)
            {
                if (index is null || !index.TryGet(table.Name, out _))
                {
                    throw StrataException.BadRequest($"Couldn't find series: {table.Name}");
                }

                series.Add(table.Name);
            }
        }

        if (series.Count == 0 || database is null)
        {
            return Task.CompletedTask;
        }

        return _storage.DeleteRangeAsync(database, series, Planner.CeilDiv(range.StartNanos, 1000), Planner.FloorDiv(range.EndNanos, 1000));
    }
}
