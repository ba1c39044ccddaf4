namespace Strata.Server.Tests.Conformance;

/// <summary>Guards examples.json so the conformance suite cannot silently shrink.</summary>
public sealed class ExamplesFileTests
{
    /// <summary>
    /// query-examples.md: E01–E120, M01–M05, P01–P13, C01–C11, D01–D08 (157 headed examples) and the
    /// read-permission table of §17 (R01).
    /// </summary>
    private const int ExampleCount = 158;

    private static readonly (char Prefix, int Last)[] Ranges = [('E', 120), ('M', 5), ('P', 13), ('C', 11), ('D', 8), ('R', 1)];

    [Fact]
    public void ExamplesFile_HoldsEveryExampleOnceWithUniqueIds()
    {
        var file = ExampleFile.Instance;
        file.Examples.Count.ShouldBe(ExampleCount);
        file.Count.ShouldBe(ExampleCount);

        var ids = file.Examples.Select(e => e.Id).ToList();
        ids.Distinct().Count().ShouldBe(ids.Count, "ids must be unique");

        var expected = Ranges.SelectMany(r => Enumerable.Range(1, r.Last).Select(n => $"{r.Prefix}{n:00}")).ToList();
        ids.ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public void ExamplesFile_EveryExampleHasAStepWithAnExpectation()
    {
        foreach (var example in ExampleFile.Instance.Examples)
        {
            example.Steps.ShouldNotBeEmpty(example.Id);
            example.Steps.ShouldContain(s => s.Method == "GET", example.Id);
            foreach (var step in example.Steps)
            {
                step.Match.ShouldBeOneOf("json", "text", "syntax_error", "status");
                if (step.Match == "json")
                {
                    step.Json.ShouldNotBeNull(example.Id);
                }
                else if (step.Match is "text" or "syntax_error")
                {
                    step.Text.ShouldNotBeNull(example.Id);
                }
            }
        }
    }

    [Fact]
    public void Pending_NamesOnlyExamplesThatExist()
    {
        var ids = ExampleFile.Instance.Examples.Select(e => e.Id).ToHashSet();
        foreach (var id in Pending.NotYetImplemented.Keys)
        {
            ids.ShouldContain(id);
        }
    }
}
