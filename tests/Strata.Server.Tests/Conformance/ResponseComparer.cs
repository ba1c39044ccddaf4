using System.Net;
using System.Text.Json;

namespace Strata.Server.Tests.Conformance;

/// <summary>
/// Compares an answer with a step's expectation by the Conventions of query-examples.md:
/// JSON as values (numbers by value), columns by name for <c>*</c> and "columns in any order",
/// rows as a multiset for "rows in any order", error bodies exactly, syntax errors by the
/// <c>syntax error, unexpected X</c> part of the first line and the two following lines.
/// </summary>
public static class ResponseComparer
{
    /// <summary>Null when the answer matches, else what differs first.</summary>
    public static string? Mismatch(Step step, HttpStatusCode status, string body)
    {
        if ((int)status != step.Status)
        {
            return $"status {(int)status}, expected {step.Status}";
        }

        switch (step.Match)
        {
            case "status":
                return null;
            case "text":
                return body == step.Text ? null : "body differs";
            case "syntax_error":
                return SyntaxErrorMismatch(step.Text!, body);
            case "json":
                JsonElement actual;
                try
                {
                    using var document = JsonDocument.Parse(body);
                    actual = document.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    return "body is not JSON: " + e.Message;
                }

                return JsonMismatch(step.Json!.Value, actual, step.ColumnsAnyOrder, step.RowsAnyOrder);
            default:
                throw new InvalidOperationException($"BUG: unknown match kind {step.Match}");
        }
    }

    private static string? SyntaxErrorMismatch(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        if (want.Length != got.Length)
        {
            return $"{got.Length} lines, expected {want.Length}";
        }

        // The ", expecting …" suffix comes from bison's tables and may differ (query-language.md §15).
        var cut = want[0].IndexOf(", expecting ", StringComparison.Ordinal);
        var head = cut < 0 ? want[0] : want[0][..cut];
        if (got[0] != head && !got[0].StartsWith(head + ", expecting ", StringComparison.Ordinal))
        {
            return $"first line does not start with \"{head}\"";
        }

        for (var i = 1; i < want.Length; i++)
        {
            if (want[i] != got[i])
            {
                return $"line {i + 1} differs";
            }
        }

        return null;
    }

    private static string? JsonMismatch(JsonElement expected, JsonElement actual, bool columnsAnyOrder, bool rowsAnyOrder)
    {
        if (!IsSeriesArray(expected))
        {
            return ValueEquals(expected, actual) ? null : "JSON differs";
        }

        if (actual.ValueKind != JsonValueKind.Array)
        {
            return "answer is not an array";
        }

        if (actual.GetArrayLength() != expected.GetArrayLength())
        {
            return $"{actual.GetArrayLength()} series, expected {expected.GetArrayLength()}";
        }

        for (var i = 0; i < expected.GetArrayLength(); i++)
        {
            var mismatch = SeriesMismatch(expected[i], actual[i], columnsAnyOrder, rowsAnyOrder);
            if (mismatch is not null)
            {
                return $"series {i} ({expected[i].GetProperty("name").GetString()}): {mismatch}";
            }
        }

        return null;
    }

    private static bool IsSeriesArray(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("columns", out _) || !item.TryGetProperty("points", out _))
            {
                return false;
            }
        }

        return element.GetArrayLength() > 0;
    }

    private static string? SeriesMismatch(JsonElement expected, JsonElement actual, bool columnsAnyOrder, bool rowsAnyOrder)
    {
        if (actual.ValueKind != JsonValueKind.Object)
        {
            return "not an object";
        }

        var keys = PropertyNames(expected);
        var actualKeys = PropertyNames(actual);
        if (!keys.SetEquals(actualKeys))
        {
            return $"keys [{string.Join(",", actualKeys)}], expected [{string.Join(",", keys)}]";
        }

        if (!ValueEquals(expected.GetProperty("name"), actual.GetProperty("name")))
        {
            return $"name {actual.GetProperty("name")}";
        }

        var columns = Strings(expected.GetProperty("columns"));
        var actualColumns = actual.GetProperty("columns");
        if (actualColumns.ValueKind != JsonValueKind.Array || actualColumns.GetArrayLength() != columns.Length)
        {
            return $"columns {actualColumns.GetRawText()}";
        }

        var order = ColumnOrder(columns, Strings(actualColumns), columnsAnyOrder);
        if (order is null)
        {
            return $"columns {actualColumns.GetRawText()}";
        }

        var points = expected.GetProperty("points");
        var actualPoints = actual.GetProperty("points");
        if (actualPoints.ValueKind != JsonValueKind.Array || actualPoints.GetArrayLength() != points.GetArrayLength())
        {
            return $"{(actualPoints.ValueKind == JsonValueKind.Array ? actualPoints.GetArrayLength() : -1)} points, expected {points.GetArrayLength()}";
        }

        var rows = new List<JsonElement[]>();
        foreach (var row in actualPoints.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != columns.Length)
            {
                return $"point {row.GetRawText()} does not have {columns.Length} values";
            }

            var reordered = new JsonElement[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                reordered[c] = row[order[c]];
            }

            rows.Add(reordered);
        }

        var used = new bool[rows.Count];
        var index = 0;
        foreach (var want in points.EnumerateArray())
        {
            if (rowsAnyOrder)
            {
                var found = -1;
                for (var r = 0; r < rows.Count && found < 0; r++)
                {
                    if (!used[r] && RowEquals(want, rows[r]))
                    {
                        found = r;
                    }
                }

                if (found < 0)
                {
                    return $"row {want.GetRawText()} is missing (rows in any order)";
                }

                used[found] = true;
            }
            else if (!RowEquals(want, rows[index]))
            {
                return $"point {index} is [{string.Join(",", rows[index].Select(v => v.GetRawText()))}], expected {want.GetRawText()}";
            }

            index++;
        }

        return null;
    }

    /// <summary>
    /// For each expected column, the index of the same column in the answer; null if they do not correspond.
    /// With <paramref name="anyOrder"/>, columns are matched by name but time, sequence_number and
    /// _orig_series must keep their places (first, second, last).
    /// </summary>
    private static int[]? ColumnOrder(string?[] expected, string?[] actual, bool anyOrder)
    {
        var order = new int[expected.Length];
        if (!anyOrder || expected.Distinct().Count() != expected.Length)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[i])
                {
                    return null;
                }

                order[i] = i;
            }

            return order;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            var j = Array.IndexOf(actual, expected[i]);
            if (j < 0)
            {
                return null;
            }

            var pinned = expected[i] is "time" or "sequence_number" or "_orig_series";
            if (pinned && j != i)
            {
                return null;
            }

            order[i] = j;
        }

        return order;
    }

    private static bool RowEquals(JsonElement expected, JsonElement[] actual)
    {
        if (expected.ValueKind != JsonValueKind.Array || expected.GetArrayLength() != actual.Length)
        {
            return false;
        }

        for (var i = 0; i < actual.Length; i++)
        {
            if (!ValueEquals(expected[i], actual[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Deep JSON equality; numbers compare by value (2 == 2.0 == 2e0).</summary>
    public static bool ValueEquals(JsonElement expected, JsonElement actual)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return false;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Number:
                return NumberEquals(expected, actual);
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString();
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    return false;
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    if (!ValueEquals(expected[i], actual[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                if (!PropertyNames(expected).SetEquals(PropertyNames(actual)))
                {
                    return false;
                }

                foreach (var property in expected.EnumerateObject())
                {
                    if (!ValueEquals(property.Value, actual.GetProperty(property.Name)))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true; // true, false, null
        }
    }

    private const long ExactDoubleLimit = 1L << 53;

    private static bool NumberEquals(JsonElement expected, JsonElement actual)
    {
        var expectedIsInt = expected.TryGetInt64(out var e);
        var actualIsInt = actual.TryGetInt64(out var a);
        if (expectedIsInt && actualIsInt)
        {
            return e == a;
        }

        // An integer a double cannot hold exactly must come back with all its digits (M05).
        if ((expectedIsInt && (e > ExactDoubleLimit || e < -ExactDoubleLimit)) || (actualIsInt && (a > ExactDoubleLimit || a < -ExactDoubleLimit)))
        {
            return false;
        }

        return expected.GetDouble().Equals(actual.GetDouble());
    }

    private static HashSet<string> PropertyNames(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            names.Add(property.Name);
        }

        return names;
    }

    private static string?[] Strings(JsonElement array)
    {
        var result = new string?[array.GetArrayLength()];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = array[i].ValueKind == JsonValueKind.String ? array[i].GetString() : array[i].GetRawText();
        }

        return result;
    }

    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The expectation of a step, as text for failure messages.</summary>
    public static string Expected(Step step) => step.Match switch
    {
        "json" => JsonSerializer.Serialize(step.Json!.Value, Compact),
        "status" => $"status {step.Status} (body not compared)",
        _ => step.Text!,
    };
}
