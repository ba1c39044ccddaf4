using Strata.Core;

namespace Strata.Storage.Segments;

/// <summary>
/// The index entry of one block (docs/format/segment.md): where it is, what it holds and its statistics.
/// Min, Max and Sum are meaningful only for <see cref="FieldType.Int64"/> and <see cref="FieldType.Double"/> blocks.
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
    double Sum)
{
    public bool HasStats => Type is FieldType.Int64 or FieldType.Double;
}
