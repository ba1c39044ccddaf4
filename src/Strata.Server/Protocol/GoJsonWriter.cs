using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Strata.Server.Protocol;

/// <summary>
/// Writes JSON exactly as Go 1.3's encoding/json does (reference http-api.md §1.5): compact, or with
/// <c>pretty=true</c> Go's 4-space indentation; floats in Go's shortest %g form (NaN/±Inf as null); strings with
/// <c>&lt; &gt; &amp;</c> as \u003c \u003e \u0026, control characters escaped, non-ASCII raw.
/// </summary>
public sealed class GoJsonWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly bool _pretty;
    private readonly Stack<bool> _hasElements = new();
    private bool _afterPropertyName;

    public GoJsonWriter(IBufferWriter<byte> output, bool pretty)
    {
        _output = output;
        _pretty = pretty;
    }

    public void StartArray() => Open((byte)'[');

    public void EndArray() => Close((byte)']');

    public void StartObject() => Open((byte)'{');

    public void EndObject() => Close((byte)'}');

    public void PropertyName(string name)
    {
        BeforeValue();
        WriteEscaped(name);
        Raw(_pretty ? ": "u8 : ":"u8);
        _afterPropertyName = true;
    }

    public void String(string value)
    {
        BeforeValue();
        WriteEscaped(value);
    }

    public void Int64(long value)
    {
        BeforeValue();
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
    }

    public void Double(double value)
    {
        if (!double.IsFinite(value))
        {
            Null();
            return;
        }

        BeforeValue();
        Span<char> text = stackalloc char[GoFloat.MaxLength];
        Ascii(text[..GoFloat.Write(value, text)]);
    }

    public void Bool(bool value)
    {
        BeforeValue();
        Raw(value ? "true"u8 : "false"u8);
    }

    public void Null()
    {
        BeforeValue();
        Raw("null"u8);
    }

    private void Open(byte bracket)
    {
        BeforeValue();
        Raw([bracket]);
        _hasElements.Push(false);
    }

    private void Close(byte bracket)
    {
        var had = _hasElements.Pop();
        if (_pretty && had)
        {
            NewLine(_hasElements.Count);
        }

        Raw([bracket]);
    }

    private void BeforeValue()
    {
        if (_afterPropertyName)
        {
            _afterPropertyName = false;
            return;
        }

        if (_hasElements.Count == 0)
        {
            return;
        }

        if (_hasElements.Peek())
        {
            Raw(","u8);
        }
        else
        {
            _hasElements.Pop();
            _hasElements.Push(true);
        }

        if (_pretty)
        {
            NewLine(_hasElements.Count);
        }
    }

    private void NewLine(int depth)
    {
        var span = _output.GetSpan(1 + (depth * 4));
        span[0] = (byte)'\n';
        span.Slice(1, depth * 4).Fill((byte)' ');
        _output.Advance(1 + (depth * 4));
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }

    private void Ascii(ReadOnlySpan<char> text)
    {
        var span = _output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        _output.Advance(text.Length);
    }

    private void WriteEscaped(string value)
    {
        // Worst case 6 bytes per UTF-16 unit (\u00XX) plus quotes.
        var span = _output.GetSpan((value.Length * 6) + 2);
        var n = 0;
        span[n++] = (byte)'"';
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x80)
            {
                switch (c)
                {
                    case '"':
                        span[n++] = (byte)'\\';
                        span[n++] = (byte)'"';
                        break;
                    case '\\':
                        span[n++] = (byte)'\\';
                        span[n++] = (byte)'\\';
                        break;
                    case '\n':
                        span[n++] = (byte)'\\';
                        span[n++] = (byte)'n';
                        break;
                    case '\r':
                        span[n++] = (byte)'\\';
                        span[n++] = (byte)'r';
                        break;
                    case < ' ' or '<' or '>' or '&':
                        n += WriteUnicodeEscape(span[n..], c);
                        break;
                    default:
                        span[n++] = (byte)c;
                        break;
                }
            }
            else if (c is '\u2028' or '\u2029')
            {
                n += WriteUnicodeEscape(span[n..], c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                n += Encoding.UTF8.GetBytes(value.AsSpan(i, 2), span[n..]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                // Go writes invalid UTF-8 as \ufffd.
                n += WriteUnicodeEscape(span[n..], '\ufffd');
            }
            else
            {
                n += Encoding.UTF8.GetBytes(value.AsSpan(i, 1), span[n..]);
            }
        }

        span[n++] = (byte)'"';
        _output.Advance(n);
    }

    private static int WriteUnicodeEscape(Span<byte> span, char c)
    {
        const string hex = "0123456789abcdef";
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        span[2] = (byte)hex[(c >> 12) & 0xF];
        span[3] = (byte)hex[(c >> 8) & 0xF];
        span[4] = (byte)hex[(c >> 4) & 0xF];
        span[5] = (byte)hex[c & 0xF];
        return 6;
    }
}
