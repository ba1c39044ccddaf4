using Strata.Core;

namespace Strata.Benchmarks.Storage;

/// <summary>
/// Write requests of workload W's shape for the engine benchmarks: 1,000 series (<c>cpu.host0</c> …) × 5 points a
/// request of a two-decimal random walk (<c>Math.Round(previous + U(-1, 1), 2)</c> from 50, seed 42) at 10 s spacing
/// from 2020-01-01, sequence numbers left to the engine.
/// </summary>
internal static class WorkloadW
{
    public const int Series = 1_000;
    public const int PointsPerRequest = 5;

    private const long Start = 1_577_836_800_000_000; // 2020-01-01 in µs

    /// <summary>The first <paramref name="count"/> requests: request r holds points [5r, 5r + 5) of every series.</summary>
    public static WriteBatch[] Requests(int count)
    {
        var random = new Random(42);
        var walk = new double[Series];
        Array.Fill(walk, 50.0);
        var requests = new WriteBatch[count];
        for (var r = 0; r < count; r++)
        {
            requests[r] = new WriteBatch();
            for (var s = 0; s < Series; s++)
            {
                var points = new SeriesPoints("cpu.host" + s, ["c0"]);
                for (var k = 0; k < PointsPerRequest; k++)
                {
                    walk[s] = Math.Round(walk[s] + ((random.NextDouble() * 2) - 1), 2) + 0.0;
                    points.Times.Add(Start + (((r * PointsPerRequest) + k) * 10_000_000L));
                    points.Seqs.Add(SeriesPoints.NoSeq);
                    points.ClientSeq.Add(false);
                    points.Values.Add(FieldValue.FromDouble(walk[s]));
                }

                requests[r].Series.Add(points);
            }
        }

        return requests;
    }
}
