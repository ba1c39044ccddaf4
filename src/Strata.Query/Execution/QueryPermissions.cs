using Strata.Core;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Execution;

/// <summary>Who runs a statement: may they administer the database, and which series may they read.</summary>
public sealed record QueryPrincipal(string Name, bool IsDatabaseAdmin, Func<string, bool> CanRead)
{
    /// <summary>The internal identity of continuous queries and input plugins (Strata choice: no admin needed).</summary>
    public static readonly QueryPrincipal System = new("strata", true, static _ => true);
}

/// <summary>0.8's statement-level permission checks (reference http-api.md §7.3).</summary>
public static class QueryPermissions
{
    /// <summary>Throws 403 with 0.8's message when the principal may not run the statement.</summary>
    public static void Authorize(Statement statement, QueryPrincipal principal, string database)
    {
        switch (statement)
        {
            case SelectStatement { IsContinuousQuery: true } when !principal.IsDatabaseAdmin:
                throw StrataException.Forbidden("Insufficient permissions to create continuous query");
            case ListContinuousQueriesStatement when !principal.IsDatabaseAdmin:
                throw StrataException.Forbidden("Insufficient permissions to list continuous queries");
            case DropContinuousQueryStatement when !principal.IsDatabaseAdmin:
                throw StrataException.Forbidden("Insufficient permissions to delete continuous query");
            case DeleteStatement when !principal.IsDatabaseAdmin:
                throw StrataException.Forbidden($"Insufficient permission to write to {database}");
            case DropSeriesStatement when !principal.IsDatabaseAdmin:
                throw StrataException.Forbidden("Insufficient permissions to drop series");
            case SelectStatement select:
                // Named series are checked up front (every named element: Strata choice for mixed lists).
                foreach (var table in select.From.Tables)
                {
                    if (!principal.CanRead(table.Name))
                    {
                        throw StrataException.Forbidden($"User doesn't have read access to {table.Name}");
                    }
                }

                break;
        }
    }
}

/// <summary>Leaves out result series the principal may not read: a regex from-clause skips them silently (§7.3).</summary>
internal sealed class ReadFilterOutput(IQueryOutput inner, QueryPrincipal principal) : IQueryOutput
{
    public ValueTask EmitAsync(SeriesResult piece) =>
        principal.CanRead(piece.Name) ? inner.EmitAsync(piece) : ValueTask.CompletedTask;
}
