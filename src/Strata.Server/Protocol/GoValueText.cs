using System.Text;
using System.Text.Json;

namespace Strata.Server.Protocol;

/// <summary>
/// Go's <c>%T (%v)</c> rendering of a decoded JSON value, used verbatim in 0.8's write errors such as
/// <c>time field must be float but is string (foo)</c> and <c>Unknown type []interface {}</c>.
/// </summary>
public static class GoValueText
{
    public static string TypeName(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.True or JsonTokenType.False => "bool",
        JsonTokenType.Null => "<nil>",
        JsonTokenType.StartArray => "[]interface {}",
        JsonTokenType.StartObject => "map[string]interface {}",
        _ => "float64",
    };

    /// <summary>Kind word of Go's UnmarshalTypeError: object, array, string, number or bool.</summary>
    public static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.True or JsonTokenType.False => "bool",
        _ => "number",
    };

    /// <summary>Renders the value at the reader (positioned on its first token) as Go's %v would, consuming it.</summary>
    public static string Render(ref Utf8JsonReader reader)
    {
        var text = new StringBuilder();
        Append(ref reader, text);
        return text.ToString();
    }

    private static void Append(ref Utf8JsonReader reader, StringBuilder text)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                text.Append(GoJsonStrings.Read(ref reader));
                break;
            case JsonTokenType.True:
                text.Append("true");
                break;
            case JsonTokenType.False:
                text.Append("false");
                break;
            case JsonTokenType.Null:
                text.Append("<nil>");
                break;
            case JsonTokenType.Number:
                text.Append(GoFloat.Format(reader.TryGetDouble(out var d) ? d : double.NaN));
                break;
            case JsonTokenType.StartArray:
                text.Append('[');
                var first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!first)
                    {
                        text.Append(' ');
                    }

                    first = false;
                    Append(ref reader, text);
                }

                text.Append(']');
                break;
            case JsonTokenType.StartObject:
                // Go prints maps with sorted keys.
                var members = new SortedDictionary<string, string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = GoJsonStrings.Read(ref reader);
                    reader.Read();
                    members[key] = Render(ref reader);
                }

                text.Append("map[");
                var firstMember = true;
                foreach (var (key, value) in members)
                {
                    if (!firstMember)
                    {
                        text.Append(' ');
                    }

                    firstMember = false;
                    text.Append(key).Append(':').Append(value);
                }

                text.Append(']');
                break;
        }
    }
}
