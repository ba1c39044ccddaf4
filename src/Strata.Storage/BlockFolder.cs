using Strata.Storage.Segments;

namespace Strata.Storage;

/// <summary>
/// An aggregate that can take segment blocks whole instead of as rows (DESIGN.md "Query engine"): from their statistics
/// alone, or decoded into plain time and value arrays without sequence numbers or per-value objects.
/// </summary>
public interface IBlockFolder
{
    /// <summary>
    /// Offered a numeric block that lies wholly inside the query range and that nothing else (another segment, a
    /// memtable, a tombstone) touches; returns true when it folded the block from its statistics.
    /// </summary>
    bool FoldStatistics(in BlockMeta block);

    /// <summary>True when numeric blocks of a sole segment may be handed over decoded (<see cref="FoldDecoded"/>).</summary>
    bool FoldsDecoded { get; }

    /// <summary>
    /// The entries of one numeric block within the query range, ascending by time: <paramref name="ints"/> for an
    /// int64 block, <paramref name="doubles"/> for a float block (the other span is empty).
    /// </summary>
    void FoldDecoded(ReadOnlySpan<long> times, ReadOnlySpan<long> ints, ReadOnlySpan<double> doubles);
}
