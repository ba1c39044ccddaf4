using Strata.Core;

namespace Strata.Storage.Segments;

/// <summary>
/// The index entry of one block (docs/format/segment.md): where it is, what it holds and its statistics.
/// Min, Max and Sum are meaningful only for <see cref="FieldType.Int64"/> and <see cref="FieldType.Double"/> blocks.
/// Sum is the values' exact sum rounded once (<see cref="ExactSum"/>), and Sum + SumLow is that exact sum; SumLow is
/// NaN when the exact sum is not two doubles, or not known (segments before <see cref="SegmentFormat.ExactSumVersion"/>).
/// </summary>
public readonly record struct BlockMeta(
    long Offset,
    int Length,
    FieldType Type,
    int Count,
    long MinTime,
    long MaxTime,
    double Min,
    double Max,
    double Sum,
    double SumLow)
{
    public bool HasStats => Type is FieldType.Int64 or FieldType.Double;

    /// <summary>True when Sum + SumLow is the exact sum of the values, so sums can fold the block without decoding it.</summary>
    public bool HasExactSum => !double.IsNaN(SumLow);
}
