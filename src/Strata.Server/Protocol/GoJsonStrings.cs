using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Core;

namespace Strata.Server.Protocol;

/// <summary>
/// Reads a JSON string token as Go's encoding/json does: invalid UTF-8 becomes U+FFFD instead of an error
/// (reference http-api.md §1.6). The fast path is <see cref="Utf8JsonReader.GetString"/>; only invalid input takes
/// the slow path.
/// </summary>
public static class GoJsonStrings
{
    /// <summary>Strings seen before on this thread (series and column names repeat in every request).</summary>
    [ThreadStatic]
    private static NameInterner? t_interned;

    /// <summary>
    /// As <see cref="Read"/>, but returns the same string instance for a name seen before on this thread, so the
    /// names of a write body cost no allocation once warm (SeriesJsonReaderBenchmarks).
    /// </summary>
    public static string ReadName(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return Read(ref reader);
        }

        // Invalid UTF-8 or a long name: Read decodes it as Go does.
        return (t_interned ??= new NameInterner()).TryIntern(reader.ValueSpan) ?? Read(ref reader);
    }

    /// <summary>
    /// The string of unescaped string content, interned as <see cref="ReadName"/> does (the write parser's plain
    /// path hands over content it has checked to be printable ASCII).
    /// </summary>
    internal static string Name(ReadOnlySpan<byte> content) =>
        (t_interned ??= new NameInterner()).TryIntern(content) ?? Encoding.UTF8.GetString(content);

    /// <summary>True when the current string or property name is <paramref name="ascii"/> in any letter case (Go matches keys that way).</summary>
    public static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> ascii)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return Read(ref reader).Equals(Encoding.ASCII.GetString(ascii), StringComparison.OrdinalIgnoreCase);
        }

        return Ascii.EqualsIgnoreCase(reader.ValueSpan, ascii);
    }

    public static string Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
            return reader.ValueIsEscaped ? Unescape(raw) : Encoding.UTF8.GetString(raw);
        }
    }

    /// <summary>Unescapes JSON string content (already validated by the reader) and decodes it leniently.</summary>
    private static string Unescape(byte[] raw)
    {
        var bytes = new List<byte>(raw.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i + 1 >= raw.Length)
            {
                bytes.Add(raw[i]);
                continue;
            }

            var e = raw[++i];
            switch (e)
            {
                case (byte)'b': bytes.Add(8); break;
                case (byte)'f': bytes.Add(12); break;
                case (byte)'n': bytes.Add(10); break;
                case (byte)'r': bytes.Add(13); break;
                case (byte)'t': bytes.Add(9); break;
                case (byte)'u' when i + 4 < raw.Length:
                    var code = int.Parse(Encoding.ASCII.GetString(raw, i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    i += 4;
                    if (char.IsHighSurrogate((char)code) && i + 6 < raw.Length && raw[i + 1] == '\\' && raw[i + 2] == 'u')
                    {
                        var low = int.Parse(Encoding.ASCII.GetString(raw, i + 3, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        if (char.IsLowSurrogate((char)low))
                        {
                            code = char.ConvertToUtf32((char)code, (char)low);
                            i += 6;
                        }
                    }

                    var rune = Rune.IsValid(code) ? new Rune(code) : Rune.ReplacementChar;
                    var n = rune.EncodeToUtf8(utf8);
                    for (var k = 0; k < n; k++)
                    {
                        bytes.Add(utf8[k]);
                    }

                    break;
                default: bytes.Add(e); break;
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
