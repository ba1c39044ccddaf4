using System.Globalization;
using Strata.Core;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// Validates a select-list function call and builds its <see cref="AggregateFunction"/>, with 0.8's argument
/// checks in 0.8's order and wording (query-language.md §7.5 "Argument errors"). Function names are
/// case-insensitive; an alias replaces the output column name.
/// </summary>
public static class FunctionRegistry
{
    public static AggregateFunction Create(FunctionCall call, string? alias)
    {
        var name = call.Name.ToLowerInvariant();
        var args = call.Args;
        var column = alias ?? name;
        switch (name)
        {
            case "count":
                return CreateCount(call, column);
            case "min" or "max" or "sum":
                // 0.8.8 says max() for all three (§13 item 22).
                Require(args.Count == 1, "function max() requires only one argument");
                return name switch
                {
                    "min" => new Min(column, Data(args[0])),
                    "max" => new Max(column, Data(args[0])),
                    _ => new Sum(column, Data(args[0])),
                };
            case "mean" or "median" or "first" or "last":
                Require(args.Count == 1, $"function {name}() requires exactly one argument");
                return name switch
                {
                    "mean" => new Mean(column, Data(args[0])),
                    "median" => Median.Create(column, Data(args[0])),
                    "first" => new First(column, Data(args[0])),
                    _ => new Last(column, Data(args[0])),
                };
            case "stddev" or "derivative" or "difference":
                Require(args.Count == 1, $"function {name}() requires exactly one argument");
                Require(args[0] is not Wildcard, $"function {name}() doesn't work with wildcards");
                return name switch
                {
                    "stddev" => new Stddev(column, Data(args[0])),
                    "derivative" => new Derivative(column, Data(args[0])),
                    _ => new Difference(column, Data(args[0])),
                };
            case "percentile":
                Require(args.Count == 2, "function percentile() requires exactly two arguments");
                Require(args[0] is not Wildcard, "wildcard cannot be used with percentile");
                var percent = ParseFloat(ValueName(args[1]));
                Require(percent is > 0 and < 100, "function percentile() requires a numeric second argument between 0 and 100");
                return new Percentile(column, Data(args[0]), percent!.Value);
            case "mode":
                Require(args.Count >= 1, "function mode() requires at least one argument");
                Require(args.Count <= 1, "function mode() takes at most one arguments");
                return new Mode(column, Data(args[0]));
            case "distinct":
                // 0.8.8 uses the first argument and ignores the rest; with none it crashed.
                Require(args.Count >= 1, "function distinct() requires at least one argument");
                return new Distinct(column, Data(args[0]));
            case "histogram":
                return CreateHistogram(args, alias);
            case "top" or "bottom":
                Require(args.Count == 2, $"function {name}() requires at exactly 2 arguments");
                Require(args[1] is NumberLiteral { IsInteger: true }, $"function {name}() second parameter expect int");
                var limit = ((NumberLiteral)args[1]).TryGetInt64(out var n) ? n : long.MaxValue;
                Require(limit >= 1, $"function {name}() second parameter must be > 0");
                var kept = (int)Math.Min(limit, int.MaxValue);
                return name == "top" ? new Top(column, Data(args[0]), kept) : new Bottom(column, Data(args[0]), kept);
            default:
                throw StrataException.BadRequest($"Unknown function {call.Name}");
        }
    }

    /// <summary>
    /// The <c>fill(V)</c> value (§7.4): an integer literal or <c>null</c>. 0.8 answered other literals with a
    /// garbled message; Strata says <c>Unsupported fill value V</c> for all of them.
    /// </summary>
    public static FieldValue ParseFill(Expr? fill) => fill switch
    {
        null => FieldValue.Null,
        ColumnRef { Name: var n } when n.Equals("null", StringComparison.OrdinalIgnoreCase) => FieldValue.Null,
        NumberLiteral { IsInteger: true } number => FieldValue.FromInt64(number.TryGetInt64(out var v) ? v : number.Text.StartsWith('-') ? long.MinValue : long.MaxValue),
        _ => throw StrataException.BadRequest($"Unsupported fill value {ValueName(fill)}"),
    };

    /// <summary>
    /// The name 0.8 gives a value in its messages: a column's name, a literal's text, a call's function name, an
    /// expression's operator.
    /// </summary>
    public static string ValueName(Expr value) => value switch
    {
        ColumnRef column => column.Name,
        NumberLiteral number => number.Text,
        StringLiteral text => text.Value,
        BoolLiteral boolean => boolean.Text,
        DurationLiteral duration => duration.Text,
        FunctionCall call => call.Name,
        BinaryExpr binary => BinaryExpr.OperatorText(binary.Op),
        Wildcard => "*",
        RegexLiteral regex => regex.Pattern,
        NowExpr => "now",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// <c>count(x)</c> takes a plain column name or another function, whose rows it counts; anything else (a
    /// number, a dotted name, an expression) is looked up as a function name, as 0.8 does (§13 item 23).
    /// </summary>
    private static AggregateFunction CreateCount(FunctionCall call, string column)
    {
        Require(call.Args.Count == 1, "function count() requires exactly one argument");
        var argument = call.Args[0];
        Require(argument is not Wildcard, "function count() doesn't work with wildcards");
        switch (argument)
        {
            case ColumnRef { Name: var n } when !n.Contains('.', StringComparison.Ordinal):
                return new Count(column, inner: null);
            case FunctionCall inner:
                return new Count(column, Create(inner, alias: null));
            default:
                throw StrataException.BadRequest($"Unknown function {ValueName(argument).ToLowerInvariant()}");
        }
    }

    private static Histogram CreateHistogram(IReadOnlyList<Expr> args, string? alias)
    {
        Require(args.Count >= 1, "function histogram() requires at least one arguments");
        Require(args.Count <= 4, "function histogram() takes at most four arguments");
        Require(args[0] is not Wildcard, "function histogram() doesn't work with wildcards");
        var size = args.Count > 1 ? HistogramNumber(args[1]) : 1.0;
        var start = args.Count > 2 ? HistogramNumber(args[2]) : 0.0;
        var stopIndex = -1L;
        if (args.Count > 3)
        {
            var index = Math.Floor((HistogramNumber(args[3]) - start) / size);
            stopIndex = index < 0 || double.IsNaN(index) ? -1 : index > Histogram.MaxStopIndex ? long.MaxValue : (long)index;
        }

        // Strata refuses what would crash or run away in 0.8.8 (a zero or negative size, millions of empty buckets).
        Require(size > 0 && double.IsFinite(size), "function histogram() requires a bucket size greater than 0");
        Require(stopIndex <= Histogram.MaxStopIndex, $"function histogram() would return more than {Histogram.MaxStopIndex} buckets");
        return new Histogram(alias, Data(args[0]), size, start, explicitStart: args.Count > 2, stopIndex);
    }

    private static double HistogramNumber(Expr value) =>
        value is NumberLiteral number && ParseFloat(number.Text) is { } parsed
            ? parsed
            : throw StrataException.BadRequest($"Cannot parse {ValueName(value)} into a float");

    private static double? ParseFloat(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The data argument: a <c>*</c> reads no column, so the function sees only nulls (§7.5).</summary>
    private static Expr? Data(Expr argument) => argument is Wildcard ? null : argument;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw StrataException.BadRequest(message);
        }
    }
}
