using System.Text;
using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Server.Tests.Protocol;

/// <summary>
/// The server parses every write into a pooled batch. Whatever the previous body left in a batch — more series,
/// more columns, more points, or a body rejected half-way — the next body must read exactly as into a new batch.
/// </summary>
public class SeriesJsonReaderReuseTests
{
    private static readonly string[] Bodies =
    [
        """[{"name":"cpu","columns":["time","a","b","c"],"points":[[1,1,2.5,"x"],[2,null,true,"y"],[3,3,4,"z"]]},{"name":"mem","columns":["v"],"points":[[1],[2]]}]""",
        """[{"name":"one","columns":["v"],"points":[[7]]}]""",
        """[{"name":"seq","columns":["time","sequence_number","v"],"points":[[10,5,1.5],[11,6,2.5]]},{"name":"empty","columns":["v"],"points":[]}]""",
        """[{"name":"bad","columns":["v"],"points":[[1],[[2]]]}]""",
        """[{"name":"bad","columns":["v","v"],"points":[[1,2]]}]""",
        """[{"name":"short","columns":["a","b"],"points":[[1]]}]""",
        """null""",
        """[{"name":"x","columns":["v"],"points":[[1]]},{"name":"x","columns":["w"],"points":[[2],[3],[4]]}]""",
        """[{"points":[[1]],"columns":["v"],"name":"late-name"}]""",
        """[{"name":"y","columns":["t"],"columns":["v"],"points":[[1]],"points":[[2],[3]]}]""",
    ];

    [Fact]
    public void ReadIntoAReusedBatch_EqualsReadIntoANewOne()
    {
        var reused = new WriteBatch();
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var body = Encoding.UTF8.GetBytes(Bodies[random.Next(Bodies.Length)]);
            var expected = WriteBatchText.Describe(() => SeriesJsonReader.Read(body, TimePrecision.Seconds));
            var actual = WriteBatchText.Describe(() =>
            {
                SeriesJsonReader.Read(body, TimePrecision.Seconds, reused);
                return reused;
            });
            actual.ShouldBe(expected);
        }
    }
}
