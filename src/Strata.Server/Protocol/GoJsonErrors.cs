using System.Globalization;

namespace Strata.Server.Protocol;

/// <summary>
/// Produces the error text Go's encoding/json Decoder gives for a body whose first JSON value is malformed
/// (reference http-api.md §1.6): "EOF" for an empty body, "unexpected EOF" for a truncated value, and
/// "invalid character 'x' looking for beginning of value" and its siblings for syntax errors. Only called on the
/// error path, after the fast reader has rejected the body.
/// </summary>
public static class GoJsonErrors
{
    private enum Context
    {
        Value,
        ObjectKeyOrEnd,
        ObjectKey,
        AfterObjectKey,
        AfterObjectValue,
        ArrayValueOrEnd,
        AfterArrayElement,
    }

    /// <summary>Returns Go's message for the first syntax error of the first value, or null when the first value is well-formed.</summary>
    public static string? Describe(ReadOnlySpan<byte> body)
    {
        var i = SkipSpace(body, 0);
        if (i >= body.Length)
        {
            return "EOF";
        }

        var stack = new Stack<char>();
        var context = Context.Value;
        while (true)
        {
            i = SkipSpace(body, i);
            if (i >= body.Length)
            {
                return "unexpected EOF";
            }

            var c = body[i];
            switch (context)
            {
                case Context.Value:
                case Context.ArrayValueOrEnd:
                    if (context == Context.ArrayValueOrEnd && c == ']')
                    {
                        stack.Pop();
                        i++;
                        goto endOfValue;
                    }

                    if (c == '{')
                    {
                        stack.Push('{');
                        context = Context.ObjectKeyOrEnd;
                        i++;
                        continue;
                    }

                    if (c == '[')
                    {
                        stack.Push('[');
                        context = Context.ArrayValueOrEnd;
                        i++;
                        continue;
                    }

                    var error = ScanScalar(body, ref i);
                    if (error is not null)
                    {
                        return error;
                    }

                    goto endOfValue;
                case Context.ObjectKeyOrEnd:
                case Context.ObjectKey:
                    if (context == Context.ObjectKeyOrEnd && c == '}')
                    {
                        stack.Pop();
                        i++;
                        goto endOfValue;
                    }

                    if (c != '"')
                    {
                        return Invalid(c, "looking for beginning of object key string");
                    }

                    var keyError = ScanString(body, ref i);
                    if (keyError is not null)
                    {
                        return keyError;
                    }

                    context = Context.AfterObjectKey;
                    continue;
                case Context.AfterObjectKey:
                    if (c != ':')
                    {
                        return Invalid(c, "after object key");
                    }

                    i++;
                    context = Context.Value;
                    continue;
                case Context.AfterObjectValue:
                    if (c == ',')
                    {
                        i++;
                        context = Context.ObjectKey;
                        continue;
                    }

                    if (c == '}')
                    {
                        stack.Pop();
                        i++;
                        goto endOfValue;
                    }

                    return Invalid(c, "after object key:value pair");
                case Context.AfterArrayElement:
                    if (c == ',')
                    {
                        i++;
                        context = Context.Value;
                        continue;
                    }

                    if (c == ']')
                    {
                        stack.Pop();
                        i++;
                        goto endOfValue;
                    }

                    return Invalid(c, "after array element");
            }

        endOfValue:
            if (stack.Count == 0)
            {
                return null;
            }

            context = stack.Peek() == '{' ? Context.AfterObjectValue : Context.AfterArrayElement;
        }
    }

    private static int SkipSpace(ReadOnlySpan<byte> body, int i)
    {
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    private static string? ScanScalar(ReadOnlySpan<byte> body, ref int i)
    {
        var c = body[i];
        if (c == '"')
        {
            return ScanString(body, ref i);
        }

        if (c == '-' || (c >= '0' && c <= '9'))
        {
            return ScanNumber(body, ref i);
        }

        foreach (var literal in (ReadOnlySpan<string>)["true", "false", "null"])
        {
            if (c != literal[0])
            {
                continue;
            }

            for (var k = 1; k < literal.Length; k++)
            {
                if (i + k >= body.Length)
                {
                    return "unexpected EOF";
                }

                if (body[i + k] != literal[k])
                {
                    return Invalid(body[i + k], $"in literal {literal} (expecting '{literal[k]}')");
                }
            }

            i += literal.Length;
            return null;
        }

        return Invalid(c, "looking for beginning of value");
    }

    private static string? ScanString(ReadOnlySpan<byte> body, ref int i)
    {
        i++;
        while (i < body.Length)
        {
            var c = body[i];
            if (c == '"')
            {
                i++;
                return null;
            }

            if (c < 0x20)
            {
                return Invalid(c, "in string literal");
            }

            if (c == '\\')
            {
                i++;
                if (i >= body.Length)
                {
                    return "unexpected EOF";
                }

                var e = body[i];
                if (e == 'u')
                {
                    for (var k = 1; k <= 4; k++)
                    {
                        if (i + k >= body.Length)
                        {
                            return "unexpected EOF";
                        }

                        if (!Uri.IsHexDigit((char)body[i + k]))
                        {
                            return Invalid(body[i + k], "in \\u hexadecimal character escape");
                        }
                    }

                    i += 5;
                    continue;
                }

                if (e is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
                {
                    return Invalid(e, "in string escape code");
                }
            }

            i++;
        }

        return "unexpected EOF";
    }

    private static string? ScanNumber(ReadOnlySpan<byte> body, ref int i)
    {
        if (body[i] == '-')
        {
            i++;
            if (i >= body.Length)
            {
                return "unexpected EOF";
            }

            if (body[i] < '0' || body[i] > '9')
            {
                return Invalid(body[i], "in numeric literal");
            }
        }

        if (body[i] == '0')
        {
            i++;
        }
        else
        {
            while (i < body.Length && body[i] >= '0' && body[i] <= '9')
            {
                i++;
            }
        }

        if (i < body.Length && body[i] == '.')
        {
            i++;
            if (i >= body.Length)
            {
                return "unexpected EOF";
            }

            if (body[i] < '0' || body[i] > '9')
            {
                return Invalid(body[i], "after decimal point in numeric literal");
            }

            while (i < body.Length && body[i] >= '0' && body[i] <= '9')
            {
                i++;
            }
        }

        if (i < body.Length && body[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < body.Length && body[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (i >= body.Length)
            {
                return "unexpected EOF";
            }

            if (body[i] < '0' || body[i] > '9')
            {
                return Invalid(body[i], "in exponent of numeric literal");
            }

            while (i < body.Length && body[i] >= '0' && body[i] <= '9')
            {
                i++;
            }
        }

        return null;
    }

    private static string Invalid(byte c, string context) => $"invalid character {QuoteChar(c)} {context}";

    /// <summary>Go's quoteChar: 'x' for printable ASCII, '\'' for a quote, "\x01" style otherwise.</summary>
    private static string QuoteChar(byte c)
    {
        if (c == '\'')
        {
            return "'\\''";
        }

        if (c == '"')
        {
            return "'\"'";
        }

        if (c >= 0x20 && c < 0x7f)
        {
            return $"'{(char)c}'";
        }

        return c switch
        {
            (byte)'\n' => "'\\n'",
            (byte)'\r' => "'\\r'",
            (byte)'\t' => "'\\t'",
            _ => "'\\x" + c.ToString("x2", CultureInfo.InvariantCulture) + "'",
        };
    }
}
