using System.Net;
using System.Text;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Conformance;

/// <summary>
/// Every example of query-examples.md (InfluxDB 0.8.8 behaviour) as one test case, run from
/// examples.json (regenerate with extract_examples.py). Each example gets a fresh server and a
/// fresh database db1, as the Conventions require: continuous-query ids and 7-day shards are
/// server-wide, so sharing a server between examples could change answers.
/// </summary>
public sealed class ConformanceTests
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static IEnumerable<TheoryDataRow<string>> Examples()
    {
        foreach (var example in ExampleFile.Instance.Examples)
        {
            yield return new TheoryDataRow<string>(example.Id) { TestDisplayName = $"{example.Id} — {example.Title}" };
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_AnswersAsInfluxDb088(string id)
    {
        var example = ExampleFile.Instance.Get(id);
        var failure = await RunAsync(example);
        if (Pending.NotYetImplemented.TryGetValue(id, out var reason))
        {
            if (failure is null)
            {
                Assert.Fail($"{id} passes now: delete its line from Conformance/Pending.cs");
            }

            Assert.Skip($"{reason} — {Summary(failure)}");
        }

        if (failure is not null)
        {
            Assert.Fail(failure);
        }
    }

    /// <summary>
    /// Runs every step in order, also after a mismatch (so one report shows all that differ);
    /// null when every answer matched.
    /// </summary>
    private static async Task<string?> RunAsync(Example example)
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        var reports = new List<string>();
        var pollTimedOut = false;
        for (var i = 0; i < example.Steps.Count; i++)
        {
            var step = example.Steps[i];

            // Once one poll of this example has waited its full time, the periodic loop has had its chance: later polls try once.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(pollTimedOut ? 0 : step.PollSeconds);
            while (true)
            {
                var (status, body) = await SendAsync(server, step);
                var mismatch = ResponseComparer.Mismatch(step, status, body);
                if (mismatch is null)
                {
                    break;
                }

                if (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(PollInterval);
                    continue;
                }

                pollTimedOut |= step.PollSeconds > 0;
                reports.Add(Report(example, i, step, mismatch, status, body));
                break;
            }
        }

        return reports.Count == 0 ? null : string.Join("\n\n", reports);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestServer server, Step step)
    {
        using var response = step.Method switch
        {
            "GET" => await server.GetAsync(step.Target),
            "POST" => await server.PostAsync(step.Target, step.Body ?? string.Empty),
            "DELETE" => await server.DeleteAsync(step.Target),
            _ => throw new InvalidOperationException($"BUG: unknown method {step.Method}"),
        };
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Report(Example example, int index, Step step, string mismatch, HttpStatusCode status, string body)
    {
        var text = new StringBuilder();
        text.Append(example.Id).Append(" step ").Append(index + 1).Append('/').Append(example.Steps.Count)
            .Append(": ").Append(mismatch).Append('\n');
        text.Append("request:  ").Append(step).Append('\n');
        text.Append("expected: ").Append(step.Status).Append(' ').Append(ResponseComparer.Expected(step)).Append('\n');
        text.Append("actual:   ").Append((int)status).Append(' ').Append(body);
        if (step.Match == "json" && (step.ColumnsAnyOrder || step.RowsAnyOrder))
        {
            text.Append("\n(compared with").Append(step.ColumnsAnyOrder ? " columns in any order" : string.Empty)
                .Append(step.RowsAnyOrder ? " rows in any order" : string.Empty).Append(')');
        }

        return text.ToString();
    }

    /// <summary>The first line of a report and what the server answered.</summary>
    private static string Summary(string report)
    {
        var lines = report.Split('\n');
        var actual = Array.Find(lines, l => l.StartsWith("actual:", StringComparison.Ordinal)) ?? string.Empty;
        return lines[0] + "; " + actual;
    }
}
