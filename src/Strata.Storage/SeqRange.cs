namespace Strata.Storage;

/// <summary>
/// The smallest and largest of a source's sequence numbers. Two sources whose ranges do not meet cannot hold
/// entries with the same key, so an aggregate may fold each on its own (docs/design-notes.md, *Aggregation*).
/// </summary>
public struct SeqRange
{
    /// <summary>The range of a source that may hold any sequence number (segments before version 3).</summary>
    public static readonly SeqRange All = new() { Min = long.MinValue, Max = long.MaxValue };

    /// <summary>An empty range, which <see cref="Add"/> widens.</summary>
    public static readonly SeqRange Empty = new() { Min = long.MaxValue, Max = long.MinValue };

    public long Min;
    public long Max;

    /// <summary>Widens the range to hold <paramref name="seqs"/>.</summary>
    public void Add(ReadOnlySpan<long> seqs)
    {
        foreach (var seq in seqs)
        {
            Min = Math.Min(Min, seq);
            Max = Math.Max(Max, seq);
        }
    }

    public readonly bool Meets(SeqRange other) => Min <= other.Max && other.Min <= Max;
}
