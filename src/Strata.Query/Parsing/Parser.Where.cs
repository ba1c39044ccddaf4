using Strata.Query.Parsing.Ast;

namespace Strata.Query.Parsing;

// where_clause = "where" condition
// condition    = and_cond { "or" and_cond }                    (left-associative)
// and_cond     = cond_primary { "and" cond_primary }           (binds tighter than or)
// cond_primary = "(" condition ")"
//              | bool_expr
// bool_expr    = value [ cmp_op value | "in" "(" value_list ")" | ( "=~" | "!~" ) REGEX ]
// cmp_op       = "=" | "<>" | "<" | ">" | "<=" | ">="          (non-associative)
//
// A "(" at the start of a condition may open a condition or a value: "(a) + 1 > 2", "(a) as x = 1".
// Like bison (which shifts ")" in that state), "( bare value )" is a parenthesised value and the
// value may go on; "( comparison … )" is a parenthesised condition.
internal sealed partial class Parser
{
    private Expr ParseWhereClause()
    {
        Advance();
        return ParseCondition(out _, out _);
    }

    private Expr ParseCondition(out int depth, out bool isBareValue)
    {
        var left = ParseAndCondition(out depth, out isBareValue);
        while (Kind == TokenKind.Or)
        {
            Advance();
            var right = ParseAndCondition(out int rightDepth, out _);
            left = new BinaryExpr(BinaryOp.Or, left, right);
            depth = Math.Max(depth, rightDepth) + 1;
            CheckDepth(depth);
            isBareValue = false;
        }
        return left;
    }

    private Expr ParseAndCondition(out int depth, out bool isBareValue)
    {
        var left = ParseConditionPrimary(out depth, out isBareValue);
        while (Kind == TokenKind.And)
        {
            Advance();
            var right = ParseConditionPrimary(out int rightDepth, out _);
            left = new BinaryExpr(BinaryOp.And, left, right);
            depth = Math.Max(depth, rightDepth) + 1;
            CheckDepth(depth);
            isBareValue = false;
        }
        return left;
    }

    private Expr ParseConditionPrimary(out int depth, out bool isBareValue)
    {
        if (Kind != TokenKind.LParen)
        {
            var value = ParseValue(out depth);
            return ParseBoolTail(value, ref depth, out isBareValue);
        }

        Enter();
        Advance();
        var inner = ParseCondition(out depth, out bool innerIsValue);
        if (Kind != TokenKind.RParen)
        {
            ThrowUnexpected(Expected.ConditionParen);
        }
        Advance();
        Leave();
        if (!innerIsValue)
        {
            isBareValue = false;
            return inner;
        }
        var primary = ParseAlias(inner, ref depth);
        var continued = ParseAdditive(primary, depth, out depth);
        return ParseBoolTail(continued, ref depth, out isBareValue);
    }

    private Expr ParseBoolTail(Expr left, ref int depth, out bool isBareValue)
    {
        isBareValue = false;
        BinaryOp op;
        switch (Kind)
        {
            case TokenKind.OperationEqual: op = BinaryOp.Equal; break;
            case TokenKind.OperationNe: op = BinaryOp.NotEqual; break;
            case TokenKind.OperationGt: op = BinaryOp.Greater; break;
            case TokenKind.OperationLt: op = BinaryOp.Less; break;
            case TokenKind.OperationGe: op = BinaryOp.GreaterOrEqual; break;
            case TokenKind.OperationLe: op = BinaryOp.LessOrEqual; break;
            case TokenKind.OperationIn:
                {
                    Advance();
                    Expect(TokenKind.LParen, Expected.LParen);
                    Enter();
                    var values = ParseValueList(out int listDepth);
                    Expect(TokenKind.RParen, Expected.CommaOrRParen);
                    Leave();
                    depth = Math.Max(depth, listDepth) + 1;
                    CheckDepth(depth);
                    return new InExpr(left, values);
                }
            case TokenKind.RegexOp:
            case TokenKind.NegationRegexOp:
                {
                    op = Advance().Kind == TokenKind.RegexOp ? BinaryOp.RegexMatch : BinaryOp.RegexNotMatch;
                    if (Kind is not (TokenKind.RegexString or TokenKind.InsensitiveRegexString))
                    {
                        ThrowUnexpected(Expected.Regex);
                    }
                    depth++;
                    return new BinaryExpr(op, left, ToRegex(Advance()));
                }
            default:
                isBareValue = true;
                return left;
        }
        Advance();
        var right = ParseValue(out int rightDepth);
        depth = Math.Max(depth, rightDepth) + 1;
        CheckDepth(depth);
        return new BinaryExpr(op, left, right);
    }
}
