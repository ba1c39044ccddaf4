using Strata.Query.Parsing.Ast;

namespace Strata.Query.Parsing;

/// <summary>
/// The purely syntactic post-parse checks of query-language.md §3 (0.8's <c>parser/parser.go</c>):
/// the call after a group-by list must be <c>fill</c> with one argument, the call after an into target
/// must be <c>backfill</c> with one argument that Go's <c>strconv.ParseBool</c> accepts. Regex
/// compilation, time conditions and the delete-where rule are left to the planner.
/// </summary>
public static class QueryValidation
{
    /// <summary>Go's <c>strconv.ParseBool</c>: <c>1 t T TRUE true True</c> / <c>0 f F FALSE false False</c>, anything else null.</summary>
    public static bool? ParseGoBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>Checks a trailing group-by call; returns the fill value, or throws 0.8's message.</summary>
    internal static Expr CheckFill(FunctionCall call)
    {
        // 0.8 compares the exact text "fill", and query-examples.md E97 requires `FILL(0)` to be refused, so Strata
        // keeps this one check case-sensitive (unlike backfill, §1.8 recommendation).
        if (!call.Name.Equals("fill", StringComparison.Ordinal))
        {
            throw new QueryValidationException($"You can't use {call.Name} with group by");
        }
        if (call.Args.Count != 1)
        {
            throw new QueryValidationException("`fill` accepts one argument only");
        }
        return call.Args[0];
    }

    /// <summary>Checks a trailing into call; returns the backfill value, or throws 0.8's message.</summary>
    internal static Expr CheckBackfill(FunctionCall call)
    {
        if (!call.Name.Equals("backfill", StringComparison.OrdinalIgnoreCase))
        {
            throw new QueryValidationException($"You can't use {call.Name} with into");
        }
        if (call.Args.Count != 1)
        {
            throw new QueryValidationException("`backfill` accepts only one argument");
        }
        var value = call.Args[0];
        if (ParseGoBool(QueryPrinter.Print08Value(value)) is null)
        {
            throw new QueryValidationException("`backfill` accepts only bool arguments");
        }
        return value;
    }
}
