using System.Diagnostics;
using System.Text;
using CsCheck;
using Strata.Query.Parsing;

namespace Strata.Query.Tests.Parsing;

/// <summary>
/// Garbage in, a typed error out: random bytes and mutated valid queries only ever produce
/// <see cref="QueryParseException"/> or <see cref="QueryValidationException"/> — never an
/// IndexOutOfRange, a NullReference or a stack overflow — and nothing takes pathologically long.
/// </summary>
public class FuzzTests
{
    private static readonly string[] Seeds =
    [
        "select * from cpu where value > 1 and host = 'a' group by time(1h), host fill(0) limit 10 order asc",
        "select count(value) as c, (a + b) * -2 from /^cpu\\..*/i where time > now() - 1d into x.[host] backfill(false)",
        "select * from a as x inner join b as y where x.v <> 3 or y.v =~ /a\\/b/",
        "select * from merge(a, b); select mean(v) from join(/x/) group by time(5m) where v in (1, 'a', true)",
        "list series /foo\\d+/i include spaces; list continuous queries; drop continuous query 3; drop series \"a b\"",
        "delete from /.*/ where time < '2014-05-13 16:00:00' ; explain select top(v, 2) from \"q\\\"x\" limit 1",
        "select histogram(v, 1.0, -1, 2), percentile(v, 95), derivative(v) from t where (a) as z = 1.5s",
    ];

    private static readonly string[] Vocabulary =
    [
        "select", "from", "where", "group", "by", "limit", "order", "asc", "desc", "as", "into", "merge", "inner", "join",
        "and", "or", "in", "list", "series", "include", "spaces", "delete", "drop", "explain", "true", "drop series",
        "continuous query", "continuous queries", "(", ")", ",", ";", "+", "-", "*", "/", "=", "<>", "<", ">", "<=", ">=",
        "=~", "!~", "!", ".", "\"", "'", "/re/", "/x", "1", "1.5", ".5", "10s", "a", "b.c", "x:y", "[z]", "now()", "fill(0)",
        "backfill(true)", "\\", "\t", "\n", "\r", "é", "\0", "((((", "))))",
    ];

    private static void ParseExpectingOnlyQueryErrors(string query)
    {
        try
        {
            QueryParser.Parse(query);
        }
        catch (QueryParseException e)
        {
            e.QueryText.ShouldBe(query);
            e.Column.ShouldBeInRange(0, Encoding.UTF8.GetByteCount(query));
            (e.Column + e.Length).ShouldBeInRange(0, Encoding.UTF8.GetByteCount(query));
            e.ToThreeLineForm().ShouldStartWith(e.Message);
            e.ToShortForm().ShouldStartWith("Error at ");
        }
        catch (QueryValidationException)
        {
        }
    }

    private static string Mutate(Random random, string query)
    {
        var sb = new StringBuilder(query);
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(sb.Length + 1);
            switch (random.Next(5))
            {
                case 0 when sb.Length > 0:
                    sb.Remove(Math.Min(at, sb.Length - 1), Math.Min(random.Next(1, 6), sb.Length - Math.Min(at, sb.Length - 1)));
                    break;
                case 1:
                    sb.Insert(at, Vocabulary[random.Next(Vocabulary.Length)]);
                    break;
                case 2:
                    sb.Insert(at, " " + Vocabulary[random.Next(Vocabulary.Length)] + " ");
                    break;
                case 3:
                    sb.Insert(at, (char)random.Next(0, 128));
                    break;
                default:
                    sb.Length = Math.Min(at, sb.Length);
                    break;
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void Parser_SurvivesMutatedValidQueries()
    {
        var random = new Random(8086);
        var slowest = TimeSpan.Zero;
        for (int i = 0; i < 60_000; i++)
        {
            var query = Mutate(random, Seeds[i % Seeds.Length]);
            var started = Stopwatch.GetTimestamp();
            ParseExpectingOnlyQueryErrors(query);
            var elapsed = Stopwatch.GetElapsedTime(started);
            slowest = elapsed > slowest ? elapsed : slowest;
        }
        // A guard against pathological (quadratic, looping) inputs, not a benchmark: one parse takes microseconds.
        slowest.ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Parser_SurvivesRandomBytes()
    {
        var random = new Random(88);
        var buffer = new byte[256];
        for (int i = 0; i < 30_000; i++)
        {
            int length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 2 == 0)
            {
                // Mostly printable ASCII, where the grammar's tokens are.
                for (int j = 0; j < length; j++)
                {
                    buffer[j] = (byte)(32 + (buffer[j] % 95));
                }
            }
            ParseExpectingOnlyQueryErrors(Encoding.UTF8.GetString(buffer, 0, length));
        }
    }

    [Fact]
    public void Parser_SurvivesRandomTokenSequences() =>
        Gen.Int[0, Vocabulary.Length - 1].Array[0, 30]
            .Select(ix => string.Join(" ", ix.Select(i => Vocabulary[i])))
            .Sample(ParseExpectingOnlyQueryErrors, iter: 10_000);

    [Theory]
    [InlineData("(")]
    [InlineData("f(")]
    [InlineData("a + ")]
    [InlineData("-")]
    public void Parser_SurvivesHugeRepetitions(string unit)
    {
        ParseExpectingOnlyQueryErrors("select " + string.Concat(Enumerable.Repeat(unit, 200_000)) + "a from t");
        ParseExpectingOnlyQueryErrors("select * from t where " + string.Concat(Enumerable.Repeat(unit, 200_000)) + "a = 1");
    }

    [Fact]
    public void Parser_SurvivesHugeLiterals()
    {
        ParseExpectingOnlyQueryErrors("select * from t where a = '" + new string('x', 1_000_000));
        ParseExpectingOnlyQueryErrors("select * from /" + new string('x', 1_000_000));
        ParseExpectingOnlyQueryErrors("select \"" + new string('\\', 1_000_000));
        ParseExpectingOnlyQueryErrors("select " + new string('9', 100_000) + "s from t");
        ParseExpectingOnlyQueryErrors(string.Concat(Enumerable.Repeat("'", 100_001)));
    }
}
