using System.Buffers;

namespace Strata.Core;

/// <summary>
/// Turns UTF-8 names (series and column names, which repeat in every write) into strings, returning the same
/// instance for a name seen before so that a warm reader allocates nothing for them. Bounded: past
/// <see cref="MaxNames"/> distinct names it starts over. Not thread-safe; use one per thread or per reader.
/// </summary>
public sealed class NameInterner
{
    /// <summary>Longer names are decoded without interning.</summary>
    public const int MaxLength = 128;

    public const int MaxNames = 16_384;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// The string for valid UTF-8 <paramref name="utf8"/>, interned; null when it is longer than
    /// <see cref="MaxLength"/> bytes or not valid UTF-8 (the caller then decodes it its own way).
    /// </summary>
    public string? TryIntern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return null;
        }

        Span<char> chars = stackalloc char[MaxLength];
        if (System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return null;
        }

        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..written], out var known))
        {
            return known;
        }

        if (_names.Count >= MaxNames)
        {
            _names.Clear();
        }

        var text = new string(chars[..written]);
        _names[text] = text;
        return text;
    }
}
