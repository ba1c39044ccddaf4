using CsCheck;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Tests.Parsing;

/// <summary>print → parse is the identity on ASTs a query can express, and printing is stable.</summary>
public class RoundTripTests
{
    [Fact]
    public void Printer_RoundTripsRandomAsts() =>
        AstGenerators.Request.Sample(request =>
        {
            var text = QueryPrinter.Print(request);
            var parsed = QueryParser.Parse(text);
            parsed.ShouldBe(request, text);
        }, iter: 20_000, print: AstGenerators.Show);

    [Fact]
    public void Printer_PrintingIsStable() =>
        AstGenerators.Request.Sample(request =>
        {
            var text = QueryPrinter.Print(request);
            QueryPrinter.Print(QueryParser.Parse(text)).ShouldBe(text);
        }, iter: 5_000, print: AstGenerators.Show);

    [Fact]
    public void Printer_RoundTripsRandomExpressions() =>
        AstGenerators.Value(4).Sample(value =>
        {
            var statement = new SelectStatement([value], FromClause.Series("t"));
            var text = QueryPrinter.Print(statement);
            QueryParser.Parse(text).ShouldHaveSingleItem().ShouldBe(statement, text);
        }, iter: 10_000, print: v => QueryPrinter.Print(v));

    [Fact]
    public void Printer_RoundTripsRandomConditions() =>
        AstGenerators.Condition(4).Sample(condition =>
        {
            var statement = new SelectStatement([new Wildcard()], FromClause.Series("t"), condition);
            var text = QueryPrinter.Print(statement);
            QueryParser.Parse(text).ShouldHaveSingleItem().ShouldBe(statement, text);
        }, iter: 10_000, print: v => QueryPrinter.Print(v));

    [Fact]
    public void Printer_08TextNeverFails() =>
        AstGenerators.Select.Sample(select =>
        {
            // The 0.8 text is lossy, but printing it must never fail.
            QueryPrinter.Print08(select).ShouldStartWith("select ");
        }, iter: 2_000);
}
