using CsCheck;
using Strata.Server.Http;

namespace Strata.Server.Tests.Http;

/// <summary>The pooled response buffer hands back exactly what was written, in order, across chunk boundaries.</summary>
public class PooledChunkWriterTests
{
    [Fact]
    public void CopyTo_WritesEveryByteInOrder() =>
        Gen.Select(Gen.Int[0, 200_000], Gen.Int[0, 70_000]).Array[0, 40].Sample(writes =>
        {
            using var writer = new PooledChunkWriter();
            var expected = new MemoryStream();
            byte next = 0;
            foreach (var (hint, count) in writes)
            {
                var length = Math.Min(count, 70_000);
                var span = writer.GetSpan(Math.Max(hint % 100_000, length));
                span.Length.ShouldBeGreaterThanOrEqualTo(length);
                for (var i = 0; i < length; i++)
                {
                    span[i] = next;
                    expected.WriteByte(next);
                    next = (byte)((next * 31) + 7);
                }

                writer.Advance(length);
            }

            writer.Length.ShouldBe(expected.Length);
            var actual = new MemoryStream();
            writer.CopyToAsync(actual, CancellationToken.None).GetAwaiter().GetResult();
            actual.ToArray().ShouldBe(expected.ToArray());
        }, iter: 100);

    [Fact]
    public void Advance_PastWhatWasHandedOut_Throws()
    {
        using var writer = new PooledChunkWriter();
        var available = writer.GetSpan(10).Length;
        Should.Throw<ArgumentOutOfRangeException>(() => writer.Advance(available + 1));
    }
}
