using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Core;

namespace Strata.Query.ContinuousQueries;

/// <summary>
/// Continuous-query target names (query-language.md §10.3): <c>:series_name</c> becomes the source series, each
/// <c>[column]</c> the point's value of that column (bools, nulls and unknown columns become ""), and the
/// interpolated columns are removed from the written points.
/// </summary>
public sealed partial class TargetName
{
    private readonly string _withSeries;
    private readonly List<string> _columns = [];

    public TargetName(string target, string sourceSeries)
    {
        _withSeries = target.Replace(":series_name", sourceSeries, StringComparison.Ordinal);
        foreach (Match m in Placeholder().Matches(_withSeries))
        {
            var column = m.Groups[1].Value;
            if (!_columns.Contains(column))
            {
                _columns.Add(column);
            }
        }
    }

    /// <summary>Columns consumed by <c>[…]</c> placeholders; they are not written.</summary>
    public IReadOnlyList<string> InterpolatedColumns => _columns;

    public bool HasPlaceholders => _columns.Count > 0;

    /// <summary>The name for one point; <paramref name="lookup"/> gives the point's value of a column (or null when the column is unknown).</summary>
    public string For(Func<string, FieldValue?> lookup)
    {
        if (_columns.Count == 0)
        {
            return _withSeries;
        }

        return Placeholder().Replace(_withSeries, m => Text(lookup(m.Groups[1].Value)));
    }

    private static string Text(FieldValue? value)
    {
        if (value is not { } v)
        {
            return string.Empty;
        }

        return v.Type switch
        {
            FieldType.Int64 => v.AsInt64.ToString(CultureInfo.InvariantCulture),
            FieldType.Double => PlainDecimal(v.AsDouble),
            FieldType.String => v.AsString,
            _ => string.Empty,
        };
    }

    /// <summary>Shortest round-trip digits without an exponent (1.5, 100).</summary>
    private static string PlainDecimal(double d)
    {
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        if (!r.Contains('E', StringComparison.Ordinal))
        {
            return r;
        }

        return decimal.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
            ? m.ToString(CultureInfo.InvariantCulture)
            : new StringBuilder(d.ToString("F0", CultureInfo.InvariantCulture)).ToString();
    }

    [GeneratedRegex(@"\[(.*?)\]", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
