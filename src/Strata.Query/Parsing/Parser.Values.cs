using Strata.Query.Parsing.Ast;

namespace Strata.Query.Parsing;

// value_list    = value { "," value }
// value         = term { ( "+" | "-" ) term }                 (left-associative)
// term          = primary { ( "*" | "/" ) primary }           (left-associative, binds tighter)
// primary       = STRING | [ "-" ] ( INT | FLOAT | DURATION ) | BOOL | SIMPLE_NAME | TABLE_NAME | "*"
//               | function_call [ "as" SIMPLE_NAME ]
//               | "(" value ")" [ "as" SIMPLE_NAME ]
// function_call = SIMPLE_NAME "(" [ value_list ] ")"
internal sealed partial class Parser
{
    private List<Expr> ParseValueList() => ParseValueList(out _);

    private List<Expr> ParseValueList(out int maxDepth)
    {
        var values = new List<Expr> { ParseValue(out maxDepth) };
        while (Kind == TokenKind.Comma)
        {
            Advance();
            values.Add(ParseValue(out int depth));
            maxDepth = Math.Max(maxDepth, depth);
        }
        return values;
    }

    private Expr ParseValue(out int depth) => ParseAdditive(null, 0, out depth);

    /// <summary>Parses <c>value</c>; when <paramref name="first"/> is given it is the already parsed first primary.</summary>
    private Expr ParseAdditive(Expr? first, int firstDepth, out int depth)
    {
        var left = ParseMultiplicative(first, firstDepth, out depth);
        while (Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance().Kind == TokenKind.Plus ? BinaryOp.Add : BinaryOp.Subtract;
            var right = ParseMultiplicative(null, 0, out int rightDepth);
            left = new BinaryExpr(op, left, right);
            depth = Math.Max(depth, rightDepth) + 1;
            CheckDepth(depth);
        }
        return left;
    }

    private Expr ParseMultiplicative(Expr? first, int firstDepth, out int depth)
    {
        Expr left;
        if (first is null)
        {
            left = ParsePrimary(out depth);
        }
        else
        {
            left = first;
            depth = firstDepth;
        }
        while (Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = Advance().Kind == TokenKind.Star ? BinaryOp.Multiply : BinaryOp.Divide;
            var right = ParsePrimary(out int rightDepth);
            left = new BinaryExpr(op, left, right);
            depth = Math.Max(depth, rightDepth) + 1;
            CheckDepth(depth);
        }
        return left;
    }

    private Expr ParsePrimary(out int depth)
    {
        depth = 1;
        switch (Kind)
        {
            case TokenKind.StringValue:
                return new StringLiteral(Advance().Text);
            case TokenKind.IntValue:
                return new NumberLiteral(Advance().Text, IsInteger: true);
            case TokenKind.FloatValue:
                return new NumberLiteral(Advance().Text, IsInteger: false);
            case TokenKind.Duration:
                return new DurationLiteral(Advance().Text);
            case TokenKind.BooleanValue:
                return new BoolLiteral(Advance().Text);
            case TokenKind.Star:
                Advance();
                return new Wildcard();
            case TokenKind.TableName:
                return new ColumnRef(Advance().Text);
            case TokenKind.Minus:
                // Unary minus exists only directly before a number or duration and becomes part of it.
                Advance();
                switch (Kind)
                {
                    case TokenKind.IntValue:
                        return new NumberLiteral("-" + Advance().Text, IsInteger: true);
                    case TokenKind.FloatValue:
                        return new NumberLiteral("-" + Advance().Text, IsInteger: false);
                    case TokenKind.Duration:
                        return new DurationLiteral("-" + Advance().Text);
                    default:
                        ThrowUnexpected(Expected.SignedLiteral);
                        return null;
                }
            case TokenKind.SimpleName:
                {
                    var name = Advance().Text;
                    if (Kind != TokenKind.LParen)
                    {
                        return new ColumnRef(name);
                    }
                    var call = ParseCallArguments(name, out depth);
                    Expr value = call.Args.Count == 0 && name.Equals("now", StringComparison.OrdinalIgnoreCase) ? new NowExpr() : call;
                    return ParseAlias(value, ref depth);
                }
            case TokenKind.LParen:
                {
                    Enter();
                    Advance();
                    var inner = ParseValue(out depth);
                    if (Kind != TokenKind.RParen)
                    {
                        ThrowUnexpected(Expected.ValueParen);
                    }
                    Advance();
                    Leave();
                    return ParseAlias(inner, ref depth);
                }
            default:
                ThrowUnexpected(Expected.ValueStart);
                return null;
        }
    }

    /// <summary>At <c>(</c> after a function name: parses the arguments and the closing parenthesis.</summary>
    private FunctionCall ParseCallArguments(string name, out int depth)
    {
        Enter();
        Advance();
        depth = 1;
        List<Expr> args = [];
        if (Kind != TokenKind.RParen)
        {
            args = ParseValueList(out int argDepth);
            depth = argDepth + 1;
            CheckDepth(depth);
        }
        Expect(TokenKind.RParen, Expected.CommaOrRParen);
        Leave();
        return new FunctionCall(name, args);
    }

    /// <summary>An optional <c>as SIMPLE_NAME</c> after a call or a parenthesised value.</summary>
    private Expr ParseAlias(Expr value, ref int depth)
    {
        if (Kind != TokenKind.As)
        {
            return value;
        }
        Advance();
        var alias = Expect(TokenKind.SimpleName, Expected.SimpleName).Text;
        if (value is AliasedExpr aliased)
        {
            return new AliasedExpr(aliased.Expr, alias);
        }
        depth++;
        CheckDepth(depth);
        return new AliasedExpr(value, alias);
    }
}
