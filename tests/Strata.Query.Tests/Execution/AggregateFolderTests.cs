using Strata.Core;
using Strata.Query.Execution.Aggregation;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Segments;

namespace Strata.Query.Tests.Execution;

/// <summary>
/// Which blocks an aggregate folds from their statistics: a sum or a mean only from a block whose index holds its exact
/// sum (segment version 6 on); count, min and max from any numeric block.
/// </summary>
public sealed class AggregateFolderTests
{
    private static readonly BlockMeta Exact = new(64, 100, FieldType.Double, 3, 1_000_000, 3_000_000, 0.1, 0.3, 0.6, 5.551115123125783E-17);
    private static readonly BlockMeta NotExact = Exact with { SumLow = double.NaN };

    private static AggregateFolder Folder(string query, StorageMetrics metrics)
    {
        var select = (SelectStatement)QueryParser.Parse(query)[0];
        var plan = AggregatePlan.Create(select, Planner.PlanRaw(select, 0, query));
        return AggregateFolder.TryCreate(plan, ["v"], TrueCondition.Instance, new SeriesAggregator(plan, ["v"]), metrics).ShouldNotBeNull();
    }

    [Theory]
    [InlineData("select sum(v) from t")]
    [InlineData("select mean(v) from t")]
    [InlineData("select count(v), sum(v) from t")]
    public void ASumOrMean_FoldsOnlyBlocksWithAnExactSum(string query)
    {
        var metrics = new StorageMetrics();
        var folder = Folder(query, metrics);
        folder.FoldStatistics(NotExact).ShouldBeFalse("a block from before version 6 is decoded instead");
        folder.FoldStatistics(Exact).ShouldBeTrue();
        metrics.BlocksFolded.ShouldBe(1);
    }

    [Theory]
    [InlineData("select count(v) from t")]
    [InlineData("select min(v), max(v) from t")]
    public void CountMinAndMax_FoldAnyNumericBlock(string query)
    {
        var metrics = new StorageMetrics();
        var folder = Folder(query, metrics);
        folder.FoldStatistics(NotExact).ShouldBeTrue();
        folder.FoldStatistics(Exact).ShouldBeTrue();
        metrics.BlocksFolded.ShouldBe(2);
    }
}
