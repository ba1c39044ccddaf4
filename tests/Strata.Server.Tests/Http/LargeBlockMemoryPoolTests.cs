using System.Net;
using System.Text;
using Strata.Server.Http;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Http;

/// <summary>The 64 KiB blocks Kestrel's sockets read into: reused, bounded, and what the running server uses.</summary>
public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_HandsOutWholeBlocks_AndReusesReturnedOnes()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent(100);
        first.Memory.Length.ShouldBe(LargeBlockMemoryPool.BlockSize);
        pool.Rent().Memory.Length.ShouldBe(LargeBlockMemoryPool.BlockSize);
        first.Memory.Span.Fill(7);
        first.Dispose();
        first.Dispose();
        pool.FreeCount.ShouldBe(1);

        var again = pool.Rent(LargeBlockMemoryPool.BlockSize);
        again.ShouldBeSameAs(first);
        again.Memory.Span[^1].ShouldBe((byte)7);
        pool.FreeCount.ShouldBe(0);
        Should.Throw<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void ReturnedBlocks_BeyondTheCap_AreLeftToTheCollector()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetained + 10).Select(_ => pool.Rent()).ToList();
        blocks.Distinct().Count().ShouldBe(blocks.Count);
        foreach (var block in blocks)
        {
            block.Dispose();
        }

        pool.FreeCount.ShouldBe(LargeBlockMemoryPool.MaxRetained);
    }

    [Fact]
    public async Task TheServer_ReadsRequestsThroughIt_AndAnswersLargeBodiesWhole()
    {
        await using var server = await TestServer.StartAsync();
        server.Host.SocketMemory.Created.ShouldBeGreaterThan(0);

        // A body of many blocks, with points whose text straddles block boundaries.
        (await server.Client.PostAsync(TestServer.Auth("/db"), new StringContent("""{"name":"blocks"}"""))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = new StringBuilder("""[{"name":"big","columns":["time","value"],"points":[""");
        for (var p = 0; p < 40_000; p++)
        {
            body.Append(p == 0 ? "" : ",").Append('[').Append(1_400_000_000L + p).Append(',').Append(p % 1000).Append(".25]");
        }

        body.Append("]}]");
        body.Length.ShouldBeGreaterThan(10 * LargeBlockMemoryPool.BlockSize);
        var write = await server.Client.PostAsync(TestServer.Auth("/db/blocks/series?time_precision=s"), new StringContent(body.ToString()));
        write.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = await server.Client.GetStringAsync(TestServer.Auth("/db/blocks/series?q=" + Uri.EscapeDataString("select count(value), sum(value) from big")));
        answer.ShouldContain("[[0,40000,1.999e+07]]");
    }
}
