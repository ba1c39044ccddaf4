namespace Strata.Server.Tests.Conformance;

/// <summary>
/// Examples of query-examples.md that fail only because their feature has not landed yet, id → reason.
/// They still run: while they fail they are reported as skipped with the reason and the first
/// difference; once one passes, its test fails until its line is deleted here. Delete lines as
/// features land; never add an example that fails because of a bug.
/// </summary>
public static class Pending
{
    public static readonly IReadOnlyDictionary<string, string> NotYetImplemented = new Dictionary<string, string>
    {
    };
}
