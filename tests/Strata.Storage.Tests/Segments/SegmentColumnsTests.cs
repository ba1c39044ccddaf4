using Strata.Core;
using Strata.Storage.Segments;

namespace Strata.Storage.Tests.Segments;

/// <summary>A series' columns in a segment's index: found by name whether they are scanned (few) or hashed (many).</summary>
public sealed class SegmentColumnsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void EveryColumn_IsFoundWithItsBlocks_AndNoOther(int count)
    {
        var pairs = Enumerable.Range(0, count).Select(i => KeyValuePair.Create($"c{i}", new[] { Block(i) })).ToArray();
        var columns = new SegmentColumns(pairs);

        columns.Names.ShouldBe(pairs.Select(p => p.Key));
        for (var i = 0; i < count; i++)
        {
            columns.TryGet($"c{i}", out var blocks).ShouldBeTrue();
            blocks.ShouldBe([Block(i)]);
        }

        columns.TryGet("missing", out var none).ShouldBeFalse();
        none.ShouldBeEmpty();
        columns.TryGet("C0", out _).ShouldBeFalse(); // names are case-sensitive
    }

    [Theory]
    [InlineData(2)]
    [InlineData(12)]
    public void AColumnListedTwice_IsCorruption(int count)
    {
        var pairs = Enumerable.Range(0, count).Select(i => KeyValuePair.Create(i == count - 1 ? "c0" : $"c{i}", new[] { Block(i) })).ToArray();
        Should.Throw<InvalidDataException>(() => new SegmentColumns(pairs)).Message.ShouldContain("c0 listed twice");
    }

    private static BlockMeta Block(int i) => new(64 + (i * 100), 100, FieldType.Double, i + 1, i, i + 10, 0, 1, 2, 0);
}
