using System.Text.Json;
using Strata.Core;

namespace Strata.Server.Protocol;

/// <summary>
/// Decodes small administrative request bodies as Go's json.Decoder does (reference http-api.md §1.6): only the
/// first value is read, object keys match case-insensitively (last one wins), missing fields and nulls take the
/// zero value, and errors carry Go's wording.
/// </summary>
public sealed class GoJsonBody
{
    private readonly JsonElement _root;
    private readonly string _goType;

    private GoJsonBody(JsonElement root, string goType)
    {
        _root = root;
        _goType = goType;
    }

    /// <summary>Parses the first JSON value, which must be an object (or null) decoded into Go type <paramref name="goType"/>.</summary>
    public static GoJsonBody ParseObject(ReadOnlySpan<byte> body, string goType, int errorStatus = 400)
    {
        var root = ParseFirstValue(body, errorStatus);

        if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw new StrataException(errorStatus, $"json: cannot unmarshal {Kind(root)} into Go value of type {goType}");
        }

        return new GoJsonBody(root, goType);
    }

    /// <summary>The first JSON value of a body (trailing data ignored, as Go's Decoder does); errors carry Go's wording.</summary>
    public static JsonElement ParseFirstValue(ReadOnlySpan<byte> body, int errorStatus)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new StrataException(errorStatus, GoJsonErrors.Describe(body) ?? "invalid JSON: " + e.Message);
        }
    }

    /// <summary>The last member whose key equals <paramref name="name"/> ignoring case.</summary>
    public bool TryGetMember(string name, out JsonElement value)
    {
        value = default;
        var found = false;
        if (_root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var member in _root.EnumerateObject())
        {
            if (member.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = member.Value;
                found = true;
            }
        }

        return found;
    }

    /// <summary>A string field: "" when missing or null; a wrong type is Go's type error.</summary>
    public string GetString(string name, int errorStatus = 400)
    {
        if (!TryGetMember(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return string.Empty;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new StrataException(errorStatus, $"json: cannot unmarshal {Kind(value)} into Go value of type string");
        }

        return value.GetString()!;
    }

    /// <summary>A bool field: false when missing or null; a wrong type is Go's type error.</summary>
    public bool GetBool(string name, int errorStatus = 400)
    {
        if (!TryGetMember(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new StrataException(errorStatus, $"json: cannot unmarshal {Kind(value)} into Go value of type bool");
        }

        return value.GetBoolean();
    }

    /// <summary>
    /// The member with exactly this key (case-sensitive), last one winning — the user-update body is decoded into a
    /// plain Go map (reference §4.9.5).
    /// </summary>
    public bool TryGetExact(string name, out JsonElement value)
    {
        value = default;
        var found = false;
        if (_root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var member in _root.EnumerateObject())
        {
            if (member.Name == name)
            {
                value = member.Value;
                found = true;
            }
        }

        return found;
    }

    /// <summary>The Go type this body decodes into (for messages).</summary>
    public string GoType => _goType;

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "number",
    };
}
