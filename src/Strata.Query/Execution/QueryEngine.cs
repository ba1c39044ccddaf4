using Strata.Core;
using Strata.Query.ContinuousQueries;
using Strata.Query.Execution.Aggregation;
using Strata.Query.Parsing.Ast;
using Strata.Query.Planning;
using Strata.Storage;

namespace Strata.Query.Execution;

/// <summary>Runs parsed statements against the storage engine and hands result pieces to an <see cref="IQueryOutput"/>.</summary>
public sealed class QueryEngine
{
    private readonly StorageEngine _storage;
    private readonly RawSelect _raw;

    public QueryEngine(StorageEngine storage)
    {
        _storage = storage;
        _raw = new RawSelect(storage);
        ContinuousQueries = new ContinuousQueryService(storage);
    }

    public ContinuousQueryService ContinuousQueries { get; }

    /// <param name="principal">Who runs it; null means the system identity (continuous queries).</param>
    public async Task ExecuteAsync(string database, Statement statement, long nowMicros, string queryText, IQueryOutput output, int pieceSize, QueryPrincipal? principal = null)
    {
        principal ??= QueryPrincipal.System;
        QueryPermissions.Authorize(statement, principal, database);
        if (statement is SelectStatement { IsContinuousQuery: false, From.Kind: FromKind.Regex } && !ReferenceEquals(principal, QueryPrincipal.System))
        {
            output = new ReadFilterOutput(output, principal);
        }

        var info = _storage.Meta.FindDatabase(database);
        switch (statement)
        {
            case SelectStatement { IsContinuousQuery: true } create:
                if (info is null)
                {
                    throw StrataException.BadRequest($"Database {database} doesn't exist");
                }

                ContinuousQueries.Create(database, create, nowMicros);
                break;
            case ListContinuousQueriesStatement:
                await output.EmitAsync(ContinuousQueries.List(database));
                break;
            case DropContinuousQueryStatement dropQuery:
                ContinuousQueries.Drop(database, dropQuery.Id);
                break;
            case SelectStatement select when SinglePointSelect.TryMatch(select, out var pointTime, out var pointSequence):
                await new SinglePointSelect(_storage).RunAsync(info, select, pointTime, pointSequence, output);
                break;
            case SelectStatement select when MergeJoinSelect.Handles(select):
                await new MergeJoinSelect(_storage, _raw).RunAsync(info, select, nowMicros * 1000, Parsing.QueryPrinter.Print08(select), output, Math.Max(1, pieceSize), principal);
                break;
            case SelectStatement select:
                // 0.8 quotes its normalised query text in filter errors (query-examples.md E40, E43).
                var plan = Planner.PlanRaw(select, nowMicros * 1000, Parsing.QueryPrinter.Print08(select));
                var aggregate = Planner.IsAggregate(select) ? AggregatePlan.Create(select, plan) : null;
                await _raw.RunAsync(info, plan, output, Math.Max(1, pieceSize), aggregate);
                break;
            case ListSeriesStatement list:
                await ListSeriesAsync(info, list, output);
                break;
            case DeleteStatement delete:
                await new DeleteExecutor(_storage).RunAsync(info, delete, nowMicros * 1000);
                break;
            case DropSeriesStatement drop:
                if (info is not null)
                {
                    await _storage.DropSeriesAsync(info, drop.Name);
                }

                break;
            default:
                throw StrataException.BadRequest($"{statement.GetType().Name.Replace("Statement", string.Empty, StringComparison.Ordinal)} statements are not supported by this Strata build yet");
        }
    }

    /// <summary><c>list series [/re/]</c>: names sorted, columns time and name (http-api.md §6.7).</summary>
    private async Task ListSeriesAsync(Storage.Meta.DatabaseInfo? database, ListSeriesStatement list, IQueryOutput output)
    {
        var regex = list.Regex is null ? null : Planner.CompileRegex(list.Regex);
        var result = new SeriesResult("list_series_result", list.IncludeSpaces ? ["name", "space"] : ["name"], hasSequence: false);
        var index = database is null ? null : _storage.GetIndex(database.Id);
        if (index is not null)
        {
            foreach (var name in index.SortedNames())
            {
                if (regex is null || regex.IsMatch(name))
                {
                    FieldValue[] values = list.IncludeSpaces
                        ? [FieldValue.FromString(name), FieldValue.FromString(_storage.SpaceFor(database!, name)?.Name ?? string.Empty)]
                        : [FieldValue.FromString(name)];
                    result.Rows.Add(new ResultRow(0, 0, values));
                }
            }
        }

        await output.EmitAsync(result);
    }
}
