using System.Text;

namespace Strata.Query.Parsing;

/// <summary>
/// The 0.8 scanner (<c>parser/query.lex</c>, built with <c>flex -i</c>) rewritten by hand.
/// It works on the UTF-8 bytes of the query, like flex, so every offset it reports is a byte offset.
/// At each position it takes the longest match among the rules active in the current start
/// condition and breaks ties by rule order, exactly as flex does; the comments name the rules.
/// See docs/query-parser.md for the token table.
/// </summary>
/// <remarks>
/// Start conditions: after <c>from</c>, after <c>series</c> and right after <c>=~</c>/<c>!~</c> a
/// <c>/</c> opens a regex literal; <c>where</c>, <c>group</c>, <c>limit</c>, <c>order</c>, the end of a
/// regex or of a quoted name return to the initial condition. Unlike 0.8, <c>;</c> also returns to
/// it, so a regex state never leaks into the next statement (query-language.md §1.7).
/// </remarks>
public sealed class Lexer
{
    private enum Condition : byte { Initial, FromClause, RegexCondition, ListSeries }

    // flex rule numbers in file order: on equal match length the smaller number wins.
    private enum Rule
    {
        Semicolon, Comma, Merge, List, Series, ContinuousQuery, ContinuousQueries, Inner, Join, From,
        RegexStart, Include, Spaces, Where, As, Select, Explain, Delete, DropSeries, Drop, Limit, Order,
        Asc, In, Desc, Group, By, Into, LParen, RParen, Plus, Minus, Star, Slash, And, Or, RegexOp, Equal,
        NegationRegexOp, NotEqual, Less, Greater, LessOrEqual, GreaterOrEqual, Int, Duration, Float, Boolean,
        SimpleName, QuoteStart, TableName, IntoName, String, WhiteSpace, AnyChar, NewLine,
    }

    private static readonly (string Word, Rule Rule, TokenKind Kind)[] Words =
    [
        ("merge", Rule.Merge, TokenKind.Merge),
        ("list", Rule.List, TokenKind.List),
        ("series", Rule.Series, TokenKind.Series),
        ("continuous query", Rule.ContinuousQuery, TokenKind.ContinuousQuery),
        ("continuous queries", Rule.ContinuousQueries, TokenKind.ContinuousQueries),
        ("inner", Rule.Inner, TokenKind.Inner),
        ("join", Rule.Join, TokenKind.Join),
        ("from", Rule.From, TokenKind.From),
        ("include", Rule.Include, TokenKind.Include),
        ("spaces", Rule.Spaces, TokenKind.Spaces),
        ("where", Rule.Where, TokenKind.Where),
        ("as", Rule.As, TokenKind.As),
        ("select", Rule.Select, TokenKind.Select),
        ("explain", Rule.Explain, TokenKind.Explain),
        ("delete", Rule.Delete, TokenKind.Delete),
        ("drop series", Rule.DropSeries, TokenKind.DropSeries),
        ("drop", Rule.Drop, TokenKind.Drop),
        ("limit", Rule.Limit, TokenKind.Limit),
        ("order", Rule.Order, TokenKind.Order),
        ("asc", Rule.Asc, TokenKind.Asc),
        ("in", Rule.In, TokenKind.OperationIn),
        ("desc", Rule.Desc, TokenKind.Desc),
        ("group", Rule.Group, TokenKind.Group),
        ("by", Rule.By, TokenKind.By),
        ("into", Rule.Into, TokenKind.Into),
        ("and", Rule.And, TokenKind.And),
        ("or", Rule.Or, TokenKind.Or),
        ("true", Rule.Boolean, TokenKind.BooleanValue),
        ("false", Rule.Boolean, TokenKind.BooleanValue),
    ];

    private readonly byte[] _src;
    private readonly int _len;
    private int _pos;
    private Condition _condition;

    // The last flex match (0.8's yylloc): what a syntax error points at.
    private int _pieceStart;
    private int _pieceLength;

    // Incremental line counter for Token.Line/Column.
    private int _lineCursor;
    private int _line = 1;
    private int _lineStart;

    public Lexer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _src = Encoding.UTF8.GetBytes(text);
        _len = _src.Length;
    }

    /// <summary>The query as UTF-8 bytes; token offsets index into this.</summary>
    public ReadOnlySpan<byte> Bytes => _src;

    /// <summary>All tokens up to and including the first <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Tokenize(string text)
    {
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    /// <summary>True when <paramref name="name"/> written bare lexes back as exactly one token of one of the given kinds with the same text.</summary>
    public static bool IsBare(string name, TokenKind kind1, TokenKind kind2 = TokenKind.End, TokenKind kind3 = TokenKind.End)
    {
        if (name.Length == 0)
        {
            return false;
        }
        var lexer = new Lexer(name);
        var token = lexer.Next();
        if (token.Kind == TokenKind.End || (token.Kind != kind1 && token.Kind != kind2 && token.Kind != kind3))
        {
            return false;
        }
        // A quoted name also lexes as SIMPLE_NAME: only a token that spans the whole input from byte 0 unquoted counts.
        return token.Offset == 0 && token.Length == lexer._len && lexer._src[0] != (byte)'"' && token.Text == name
            && lexer.Next().Kind == TokenKind.End;
    }

    public Token Next()
    {
        while (_pos < _len)
        {
            int start = _pos;
            byte c = _src[start];

            if (c == (byte)'"')
            {
                Piece(start, 1);
                return ScanQuotedName(start);
            }
            if (c == (byte)'/' && _condition != Condition.Initial)
            {
                Piece(start, 1);
                return ScanRegex(start);
            }

            var (length, rule, kind) = LongestMatch(start);
            Piece(start, length);
            switch (rule)
            {
                case Rule.WhiteSpace:
                case Rule.NewLine:
                    continue; // 0.8 skips blanks and echoes '\n' to stdout: both separate tokens.
                case Rule.Series:
                    _condition = Condition.ListSeries;
                    break;
                case Rule.From:
                    _condition = Condition.FromClause;
                    break;
                case Rule.Where:
                case Rule.Group:
                case Rule.Limit:
                case Rule.Order:
                case Rule.Semicolon: // Strata: 0.8 keeps the regex state across ';' (§1.7); we reset it.
                    _condition = Condition.Initial;
                    break;
                case Rule.RegexOp:
                case Rule.NegationRegexOp:
                    _condition = Condition.RegexCondition;
                    break;
                case Rule.String:
                    return MakeToken(kind, Decode(start + 1, length - 2), start);
                default:
                    break;
            }
            return MakeToken(kind, Decode(start, length), start);
        }
        return MakeToken(TokenKind.End, string.Empty, _len);
    }

    private (int Length, Rule Rule, TokenKind Kind) LongestMatch(int p)
    {
        byte c = _src[p];
        // '.' (any byte but a newline) and flex's default rule (the newline) match one byte.
        var best = new Match(1, c == (byte)'\n' ? Rule.NewLine : Rule.AnyChar, TokenKind.Undefined);

        switch (c)
        {
            case (byte)';': best.Offer(1, Rule.Semicolon, TokenKind.Semicolon); break;
            case (byte)',': best.Offer(1, Rule.Comma, TokenKind.Comma); break;
            case (byte)'(': best.Offer(1, Rule.LParen, TokenKind.LParen); break;
            case (byte)')': best.Offer(1, Rule.RParen, TokenKind.RParen); break;
            case (byte)'+': best.Offer(1, Rule.Plus, TokenKind.Plus); break;
            case (byte)'-': best.Offer(1, Rule.Minus, TokenKind.Minus); break;
            case (byte)'*': best.Offer(1, Rule.Star, TokenKind.Star); break;
            case (byte)'/': best.Offer(1, Rule.Slash, TokenKind.Slash); break;
            case (byte)'=':
                best.Offer(1, Rule.Equal, TokenKind.OperationEqual);
                if (At(p + 1) == (byte)'~')
                {
                    best.Offer(2, Rule.RegexOp, TokenKind.RegexOp);
                }
                break;
            case (byte)'!':
                if (At(p + 1) == (byte)'~')
                {
                    best.Offer(2, Rule.NegationRegexOp, TokenKind.NegationRegexOp);
                }
                break;
            case (byte)'<':
                best.Offer(1, Rule.Less, TokenKind.OperationLt);
                if (At(p + 1) == (byte)'>')
                {
                    best.Offer(2, Rule.NotEqual, TokenKind.OperationNe);
                }
                else if (At(p + 1) == (byte)'=')
                {
                    best.Offer(2, Rule.LessOrEqual, TokenKind.OperationLe);
                }
                break;
            case (byte)'>':
                best.Offer(1, Rule.Greater, TokenKind.OperationGt);
                if (At(p + 1) == (byte)'=')
                {
                    best.Offer(2, Rule.GreaterOrEqual, TokenKind.OperationGe);
                }
                break;
            case (byte)' ':
            case (byte)'\t':
                {
                    int q = p;
                    while (q < _len && (_src[q] == (byte)' ' || _src[q] == (byte)'\t'))
                    {
                        q++;
                    }
                    best.Offer(q - p, Rule.WhiteSpace, TokenKind.Undefined);
                    break;
                }
            case (byte)'\'':
                {
                    int close = Array.IndexOf(_src, (byte)'\'', p + 1, _len - p - 1);
                    if (close > 0)
                    {
                        best.Offer(close - p + 1, Rule.String, TokenKind.StringValue);
                    }
                    break;
                }
            default:
                break;
        }

        if (IsWordByte(c) || c == (byte)'.' || c == (byte)':' || c == (byte)'[')
        {
            // Keywords (case-insensitive literals).
            foreach (var (word, rule, kind) in Words)
            {
                if (MatchesWord(p, word))
                {
                    best.Offer(word.Length, rule, kind);
                }
            }

            // [0-9]+, floats, durations.
            int digits = Run(p, static b => b is >= (byte)'0' and <= (byte)'9');
            if (digits > 0)
            {
                best.Offer(digits, Rule.Int, TokenKind.IntValue);
            }
            int number = digits;
            if (At(p + digits) == (byte)'.')
            {
                int fraction = Run(p + digits + 1, static b => b is >= (byte)'0' and <= (byte)'9');
                if (digits > 0 || fraction > 0)
                {
                    number = digits + 1 + fraction;
                    best.Offer(number, Rule.Float, TokenKind.FloatValue);
                }
            }
            if (number > 0)
            {
                byte s1 = (byte)(At(p + number) | 0x20);
                byte s2 = (byte)(At(p + number + 1) | 0x20);
                if (s1 == (byte)'m' && s2 == (byte)'s')
                {
                    best.Offer(number + 2, Rule.Duration, TokenKind.Duration);
                }
                else if (s1 is (byte)'u' or (byte)'s' or (byte)'m' or (byte)'h' or (byte)'d' or (byte)'w' or (byte)'y')
                {
                    best.Offer(number + 1, Rule.Duration, TokenKind.Duration);
                }
            }

            // SIMPLE_NAME, TABLE_NAME (must contain more than SIMPLE_NAME to win), INTO_NAME.
            if (IsWordByte(c))
            {
                best.Offer(Run(p, IsWordByte), Rule.SimpleName, TokenKind.SimpleName);
                best.Offer(Run(p, static b => IsWordByte(b) || b == (byte)'.'), Rule.TableName, TokenKind.TableName);
            }
            if (c != (byte)'.')
            {
                best.Offer(Run(p, static b => IsWordByte(b) || b is (byte)'.' or (byte)':' or (byte)'[' or (byte)']'), Rule.IntoName, TokenKind.IntoName);
            }
        }
        return (best.Length, best.Rule, best.Kind);
    }

    /// <summary>The best rule so far: longest match, then lowest rule number.</summary>
    private struct Match(int length, Rule rule, TokenKind kind)
    {
        public int Length = length;
        public Rule Rule = rule;
        public TokenKind Kind = kind;

        public void Offer(int length, Rule rule, TokenKind kind)
        {
            if (length > Length || (length == Length && rule < Rule))
            {
                Length = length;
                Rule = rule;
                Kind = kind;
            }
        }
    }

    private Token ScanQuotedName(int start)
    {
        // <IN_SIMPLE_NAME>: \" is a quote, any other backslash is dropped (flex's default rule), the rest is literal.
        var content = new List<byte>();
        int p = start + 1;
        while (p < _len)
        {
            byte b = _src[p];
            if (b == (byte)'\\')
            {
                if (At(p + 1) == (byte)'"')
                {
                    Piece(p, 2);
                    content.Add((byte)'"');
                    p += 2;
                }
                else
                {
                    Piece(p, 1);
                    p++;
                }
                continue;
            }
            if (b == (byte)'"')
            {
                Piece(p, 1);
                _pos = p + 1;
                _condition = Condition.Initial;
                return MakeToken(TokenKind.SimpleName, Encoding.UTF8.GetString(content.ToArray()), start);
            }
            int q = p;
            while (q < _len && _src[q] != (byte)'\\' && _src[q] != (byte)'"')
            {
                q++;
            }
            Piece(p, q - p);
            content.AddRange(new ReadOnlySpan<byte>(_src, p, q - p));
            p = q;
        }
        // No <<EOF>> rule in 0.8: the scanner just ends, the parser sees $end at the last piece.
        _pos = _len;
        return MakeToken(TokenKind.End, string.Empty, _len);
    }

    private Token ScanRegex(int start)
    {
        // <IN_REGEX>: \/ is a slash, any other backslash is kept, / or /i ends the literal.
        var content = new List<byte>();
        int p = start + 1;
        while (p < _len)
        {
            byte b = _src[p];
            if (b == (byte)'\\')
            {
                if (At(p + 1) == (byte)'/')
                {
                    Piece(p, 2);
                    content.Add((byte)'/');
                    p += 2;
                }
                else
                {
                    Piece(p, 1);
                    content.Add((byte)'\\');
                    p++;
                }
                continue;
            }
            if (b == (byte)'/')
            {
                _condition = Condition.Initial;
                var pattern = Encoding.UTF8.GetString(content.ToArray());
                if ((At(p + 1) | 0x20) == (byte)'i')
                {
                    Piece(p, 2);
                    _pos = p + 2;
                    return MakeToken(TokenKind.InsensitiveRegexString, pattern, start);
                }
                Piece(p, 1);
                _pos = p + 1;
                return MakeToken(TokenKind.RegexString, pattern, start);
            }
            int q = p;
            while (q < _len && _src[q] != (byte)'\\' && _src[q] != (byte)'/')
            {
                q++;
            }
            Piece(p, q - p);
            content.AddRange(new ReadOnlySpan<byte>(_src, p, q - p));
            p = q;
        }
        _pos = _len;
        _condition = Condition.Initial;
        return MakeToken(TokenKind.Unknown, Encoding.UTF8.GetString(content.ToArray()), start);
    }

    private void Piece(int start, int length)
    {
        _pieceStart = start;
        _pieceLength = length;
        _pos = start + length;
    }

    private Token MakeToken(TokenKind kind, string text, int start)
    {
        while (_lineCursor < start)
        {
            if (_src[_lineCursor] == (byte)'\n')
            {
                _line++;
                _lineStart = _lineCursor + 1;
            }
            _lineCursor++;
        }
        int end = kind == TokenKind.End ? _len : _pos;
        return new Token(kind, text, start, end - start, _line, start - _lineStart + 1, _pieceStart, _pieceLength);
    }

    private string Decode(int start, int length) =>
        length == 1 && _src[start] >= 0x80 ? ((char)_src[start]).ToString() : Encoding.UTF8.GetString(_src, start, length);

    private byte At(int p) => p < _len ? _src[p] : (byte)0;

    private int Run(int p, Func<byte, bool> accept)
    {
        int q = p;
        while (q < _len && accept(_src[q]))
        {
            q++;
        }
        return q - p;
    }

    private bool MatchesWord(int p, string word)
    {
        if (p + word.Length > _len)
        {
            return false;
        }
        for (int i = 0; i < word.Length; i++)
        {
            byte b = _src[p + i];
            char w = word[i];
            if (w == ' ' ? b != (byte)' ' : (b | 0x20) != w)
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsWordByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_';
}
