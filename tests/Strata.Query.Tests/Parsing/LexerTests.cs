using Strata.Query.Parsing;

namespace Strata.Query.Tests.Parsing;

public class LexerTests
{
    private static string Kinds(string text) =>
        string.Join(" ", Lexer.Tokenize(text).Select(t => t.Kind == TokenKind.End ? "$" : t.Kind.ToString()));

    private static string Texts(string text) =>
        string.Join("|", Lexer.Tokenize(text).Where(t => t.Kind != TokenKind.End).Select(t => t.Text));

    [Theory]
    [InlineData("select from where group by limit order asc desc", "Select From Where Group By Limit Order Asc Desc $")]
    [InlineData("merge inner join as list series include spaces into", "Merge Inner Join As List Series Include Spaces Into $")]
    [InlineData("delete drop explain and or in", "Delete Drop Explain And Or OperationIn $")]
    [InlineData("SeLeCt FROM", "Select From $")]
    [InlineData("continuous query continuous queries", "ContinuousQuery ContinuousQueries $")]
    [InlineData("continuous  query", "SimpleName SimpleName $")]
    [InlineData("drop series", "DropSeries $")]
    [InlineData("drop  series", "Drop Series $")]
    [InlineData("drop\tseries", "Drop Series $")]
    [InlineData("continuous querying", "ContinuousQuery SimpleName $")]
    [InlineData("selected inner_x format desc1 in_ into2", "SimpleName SimpleName SimpleName SimpleName SimpleName SimpleName $")]
    [InlineData("time now fill backfill null sequence_number", "SimpleName SimpleName SimpleName SimpleName SimpleName SimpleName $")]
    [InlineData("true FALSE True", "BooleanValue BooleanValue BooleanValue $")]
    [InlineData("truex", "SimpleName $")]
    public void Lexer_Keywords(string text, string kinds) => Kinds(text).ShouldBe(kinds);

    [Theory]
    [InlineData("123", "IntValue $")]
    [InlineData("1.5 .5 5.", "FloatValue FloatValue FloatValue $")]
    [InlineData("10s 1.5h .5s 5.s 10ms 1M 1W 1u 1y 1d 1m 10MS", "Duration Duration Duration Duration Duration Duration Duration Duration Duration Duration Duration Duration $")]
    [InlineData("1.5e3", "TableName $")]
    [InlineData("1e5", "SimpleName $")]
    [InlineData("1foo", "SimpleName $")]
    [InlineData("10sec", "SimpleName $")]
    [InlineData("10mx", "SimpleName $")]
    [InlineData("1.5.2", "TableName $")]
    [InlineData("cpu.load foo..bar foo.", "TableName TableName TableName $")]
    [InlineData(".t", "Undefined SimpleName $")]
    [InlineData(".", "Undefined $")]
    [InlineData("a:b [x] :series_name foo.[id]", "IntoName IntoName IntoName IntoName $")]
    [InlineData("]", "Undefined $")]
    [InlineData("cpu-1", "SimpleName Minus IntValue $")]
    [InlineData("- 1", "Minus IntValue $")]
    public void Lexer_NamesAndNumbersTakeTheLongestMatch(string text, string kinds) => Kinds(text).ShouldBe(kinds);

    [Theory]
    [InlineData("= <> < > <= >= =~ !~", "OperationEqual OperationNe OperationLt OperationGt OperationLe OperationGe RegexOp NegationRegexOp $")]
    [InlineData("!= !", "Undefined OperationEqual Undefined $")]
    [InlineData("( ) , ; + - * /", "LParen RParen Comma Semicolon Plus Minus Star Slash $")]
    [InlineData("a\rb", "SimpleName Undefined SimpleName $")]
    [InlineData("sel\nect", "SimpleName SimpleName $")]
    [InlineData("é", "Undefined Undefined $")]
    [InlineData("a\0b", "SimpleName Undefined SimpleName $")]
    [InlineData("", "$")]
    [InlineData("  \t ", "$")]
    public void Lexer_OperatorsAndUnknownCharacters(string text, string kinds) => Kinds(text).ShouldBe(kinds);

    [Theory]
    [InlineData("'abc'", "StringValue $", "abc")]
    [InlineData("''", "StringValue $", "")]
    [InlineData("'a\"b\\c\nd'", "StringValue $", "a\"b\\c\nd")]
    [InlineData("\"a b\"", "SimpleName $", "a b")]
    [InlineData("\"q\\\"x\"", "SimpleName $", "q\"x")]
    [InlineData("\"a\\b\"", "SimpleName $", "ab")]
    [InlineData("\"select\"", "SimpleName $", "select")]
    [InlineData("\"\"", "SimpleName $", "")]
    [InlineData("\"a;b/c\"", "SimpleName $", "a;b/c")]
    public void Lexer_StringsAndQuotedNames(string text, string kinds, string value)
    {
        Kinds(text).ShouldBe(kinds);
        Lexer.Tokenize(text)[0].Text.ShouldBe(value);
    }

    [Theory]
    [InlineData("'it''s'", "StringValue StringValue $")]
    [InlineData("'abc", "Undefined SimpleName $")]
    [InlineData("\"abc", "$")]
    public void Lexer_UnterminatedQuotes(string text, string kinds) => Kinds(text).ShouldBe(kinds);

    [Theory]
    [InlineData("from /a\\/b\\d/", "From RegexString $", "from|a/b\\d")]
    [InlineData("from /abc/i", "From InsensitiveRegexString $", "from|abc")]
    [InlineData("from /abc/I", "From InsensitiveRegexString $", "from|abc")]
    [InlineData("from /a\\\\//", "From RegexString $", "from|a\\/")]
    [InlineData("from a merge /x/", "From SimpleName Merge RegexString $", "from|a|merge|x")]
    [InlineData("series /x/", "Series RegexString $", "series|x")]
    [InlineData("a =~ /x/", "SimpleName RegexOp RegexString $", "a|=~|x")]
    [InlineData("a !~ /x/i", "SimpleName NegationRegexOp InsensitiveRegexString $", "a|!~|x")]
    [InlineData("a / 2", "SimpleName Slash IntValue $", "a|/|2")]
    [InlineData("from a where b / 2", "From SimpleName Where SimpleName Slash IntValue $", "from|a|where|b|/|2")]
    [InlineData("from a group b / 2", "From SimpleName Group SimpleName Slash IntValue $", "from|a|group|b|/|2")]
    [InlineData("from a limit order b / 2", "From SimpleName Limit Order SimpleName Slash IntValue $", "from|a|limit|order|b|/|2")]
    [InlineData("from /x/ / 2", "From RegexString Slash IntValue $", "from|x|/|2")]
    [InlineData("from \"a\" / 2", "From SimpleName Slash IntValue $", "from|a|/|2")]
    [InlineData("from a; b / 2", "From SimpleName Semicolon SimpleName Slash IntValue $", "from|a|;|b|/|2")]
    [InlineData("from a into b / 2", "From SimpleName Into SimpleName Unknown $", "from|a|into|b| 2")]
    [InlineData("series /cpu", "Series Unknown $", "series|cpu")]
    public void Lexer_SlashStartsARegexOnlyInRegexStates(string text, string kinds, string texts)
    {
        Kinds(text).ShouldBe(kinds);
        Texts(text).ShouldBe(texts);
    }

    [Fact]
    public void Lexer_TokensCarryOffsetsLinesAndColumns()
    {
        var tokens = Lexer.Tokenize("select a\n  from 'é' x");
        tokens[1].ShouldBe(new Token(TokenKind.SimpleName, "a", 7, 1, 1, 8, 7, 1));
        tokens[2].ShouldBe(new Token(TokenKind.From, "from", 11, 4, 2, 3, 11, 4));
        tokens[3].ShouldBe(new Token(TokenKind.StringValue, "é", 16, 4, 2, 8, 16, 4));
        tokens[4].ShouldBe(new Token(TokenKind.SimpleName, "x", 21, 1, 2, 13, 21, 1));
        tokens[5].Kind.ShouldBe(TokenKind.End);
        tokens[5].Offset.ShouldBe(22);
    }

    [Fact]
    public void Lexer_ReportsTheLastPieceOfMultiPartTokensLike08()
    {
        var regex = Lexer.Tokenize("from /ab\\/c/i")[1];
        (regex.Offset, regex.Length, regex.ReportOffset, regex.ReportLength).ShouldBe((5, 8, 11, 2));
        var quoted = Lexer.Tokenize("\"ab\\\"c\"")[0];
        (quoted.Offset, quoted.Length, quoted.ReportOffset, quoted.ReportLength).ShouldBe((0, 7, 6, 1));
        var end = Lexer.Tokenize("a   ")[1];
        (end.ReportOffset, end.ReportLength).ShouldBe((1, 3));
        var unterminated = Lexer.Tokenize("\"abc")[0];
        (unterminated.Kind, unterminated.ReportOffset, unterminated.ReportLength).ShouldBe((TokenKind.End, 1, 3));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("a.b", true)]
    [InlineData("select", false)]
    [InlineData("123", false)]
    [InlineData("10s", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    [InlineData("", false)]
    [InlineData("\"a\"", false)]
    public void Lexer_IsBareTellsWhichNamesNeedQuotes(string name, bool bare) =>
        Lexer.IsBare(name, TokenKind.SimpleName, TokenKind.TableName).ShouldBe(bare);

    [Fact]
    public void Lexer_DisplayNamesAreBisons()
    {
        Token.DisplayName(TokenKind.End).ShouldBe("$end");
        Token.DisplayName(TokenKind.Undefined).ShouldBe("$undefined");
        Token.DisplayName(TokenKind.ContinuousQuery).ShouldBe("CONTINUOUS_QUERY");
        Token.DisplayName(TokenKind.InsensitiveRegexString).ShouldBe("INSENSITIVE_REGEX_STRING");
        Token.DisplayName(TokenKind.LParen).ShouldBe("'('");
    }
}
