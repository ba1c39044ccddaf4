using System.Buffers;

namespace Strata.Core;

/// <summary>
/// Turns UTF-8 names (series and column names, which repeat in every write) into strings, returning the same
/// instance for a name seen before so that a warm reader allocates nothing for them. Bounded: past
/// <see cref="MaxNames"/> distinct names it starts over. Not thread-safe; use one per thread or per reader.
/// </summary>
/// <remarks>
/// Looked up by the UTF-8 bytes themselves: a name seen before costs a hash of its bytes and one comparison, not a
/// transcoding to UTF-16 and a hash of the characters (which was ~10% of WAL replay's decoding thread).
/// <para>
/// Clients send the same series in the same order request after request (a collector's flush, W's 1,000 series), so
/// each name remembers the name asked for after it last time, and that guess is compared before the hash is taken:
/// the hash lookup was ~3% of the server's CPU on W.
/// </para>
/// </remarks>
public sealed class NameInterner
{
    /// <summary>Longer names are decoded without interning.</summary>
    public const int MaxLength = 128;

    public const int MaxNames = 16_384;

    private readonly Dictionary<byte[], Entry> _names = new(Utf8Comparer.Instance);

    /// <summary>The entry returned last, whose <see cref="Entry.Next"/> is the guess for the next call.</summary>
    private Entry? _last;

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

        if (_last?.Next is { } guess && utf8.SequenceEqual(guess.Utf8))
        {
            _last = guess;
            return guess.Text;
        }

        var lookup = _names.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (!lookup.TryGetValue(utf8, out var entry))
        {
            entry = TryAdd(utf8);
            if (entry is null)
            {
                return null;
            }
        }

        if (_last is not null)
        {
            _last.Next = entry;
        }

        _last = entry;
        return entry.Text;
    }

    private Entry? TryAdd(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[MaxLength];
        if (System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return null;
        }

        if (_names.Count >= MaxNames)
        {
            // Entries left out keep their bytes and text, so a guess that still points at one is still right.
            _names.Clear();
        }

        var entry = new Entry(utf8.ToArray(), new string(chars[..written]));
        _names[entry.Utf8] = entry;
        return entry;
    }

    private sealed class Entry(byte[] utf8, string text)
    {
        public byte[] Utf8 { get; } = utf8;

        public string Text { get; } = text;

        /// <summary>The name asked for right after this one last time.</summary>
        public Entry? Next { get; set; }
    }

    /// <summary>Byte-wise equality of UTF-8 names, with lookups by span.</summary>
    private sealed class Utf8Comparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8Comparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
