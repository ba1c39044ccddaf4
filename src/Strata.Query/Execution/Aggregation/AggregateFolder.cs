using Strata.Core;
using Strata.Query.Execution.Functions;
using Strata.Query.Planning;
using Strata.Storage;
using Strata.Storage.Segments;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// Feeds whole segment blocks to a <see cref="SeriesAggregator"/> whose functions all fold block summaries (count,
/// sum, min, max, mean of one column, no group-by columns). Without a value condition a block inside one bucket is
/// folded from its statistics; otherwise, and with a where clause of the form <c>column op number</c>, a decoded
/// block is summarised per bucket straight from its time and value arrays — no rows, sequence numbers or
/// <see cref="FieldValue"/>s (issue 6 "scan speed"). Sums are exact (<see cref="ExactSum"/>): a block whose statistics
/// do not hold its exact sum (segments before version 6, values too far apart) is decoded when sum or mean needs it.
/// </summary>
internal sealed class AggregateFolder : IBlockFolder
{
    private readonly SeriesAggregator _aggregator;
    private readonly StorageMetrics _metrics;
    private readonly bool _statistics;
    private readonly CompareOp _op;
    private readonly FieldValue _literal;
    private readonly bool _filtered;
    private readonly bool _sums;

    /// <summary>The exact sum of the block or run being folded, cleared for each (untouched when no function needs sums).</summary>
    private ExactSum _sum;

    private AggregateFolder(SeriesAggregator aggregator, StorageMetrics metrics, bool statistics, CompareOp op, FieldValue literal, bool filtered, bool sums)
    {
        _aggregator = aggregator;
        _sums = sums;
        _metrics = metrics;
        _statistics = statistics;
        _op = op;
        _literal = literal;
        _filtered = filtered;
    }

    public bool FoldsDecoded => true;

    /// <summary>A folder for the series, or null when its query must go row by row.</summary>
    public static AggregateFolder? TryCreate(AggregatePlan aggregate, List<string> read, Condition where, SeriesAggregator aggregator, StorageMetrics metrics)
    {
        if (!aggregate.FoldsBlocks || read.Count != 1)
        {
            return null;
        }

        switch (where)
        {
            case TrueCondition:
                return new AggregateFolder(aggregator, metrics, statistics: true, CompareOp.Equal, default, filtered: false, aggregate.FoldsBlockSums);
            case CompareCondition { Left: ColumnOperand column, Right: LiteralOperand { Value.IsNumeric: true } literal } compare when column.Name == read[0]:
                return new AggregateFolder(aggregator, metrics, statistics: false, compare.Op, literal.Value, filtered: true, aggregate.FoldsBlockSums);
            case CompareCondition { Left: LiteralOperand { Value.IsNumeric: true } literal, Right: ColumnOperand column } compare when column.Name == read[0]:
                return new AggregateFolder(aggregator, metrics, statistics: false, Mirror(compare.Op), literal.Value, filtered: true, aggregate.FoldsBlockSums);
            default:
                return null;
        }
    }

    private static CompareOp Mirror(CompareOp op) => op switch
    {
        CompareOp.Less => CompareOp.Greater,
        CompareOp.LessOrEqual => CompareOp.GreaterOrEqual,
        CompareOp.Greater => CompareOp.Less,
        CompareOp.GreaterOrEqual => CompareOp.LessOrEqual,
        _ => op,
    };

    public bool FoldStatistics(in BlockMeta block)
    {
        if (!_statistics || (_sums && !block.HasExactSum) || _aggregator.BucketOf(block.MinTime) != _aggregator.BucketOf(block.MaxTime))
        {
            return false;
        }

        if (_sums)
        {
            _sum.Clear();
            _sum.Add(block.Sum);
            _sum.Add(block.SumLow);
        }

        _aggregator.AddBlock(block.MinTime, new BlockSummary(block.Count, in _sum, block.Min, block.Max));
        Interlocked.Increment(ref _metrics.BlocksFolded);
        return true;
    }

    public void FoldDecoded(ReadOnlySpan<long> times, ReadOnlySpan<long> ints, ReadOnlySpan<double> doubles)
    {
        Interlocked.Increment(ref _metrics.BlocksSummarised);
        var i = 0;
        while (i < times.Length)
        {
            // One run per bucket: times ascend, so a bucket's points are contiguous and end at the first time at or
            // after the next bucket's start.
            _aggregator.BucketOf(times[i], out var next);
            var end = times[^1] < next ? times.Length : FirstAtOrAfter(times, i + 1, next);
            if (_sums)
            {
                _sum.ClearKeepingScale();
            }

            var summary = ints.IsEmpty ? Summarise(doubles[i..end]) : Summarise(ints[i..end]);
            if (summary.Count > 0)
            {
                _aggregator.AddBlock(times[i], new BlockSummary(summary.Count, in _sum, summary.Min, summary.Max));
            }

            i = end;
        }
    }

    /// <summary>The first index from <paramref name="from"/> whose time is at least <paramref name="time"/> (times ascend).</summary>
    private static int FirstAtOrAfter(ReadOnlySpan<long> times, int from, long time)
    {
        int low = from, high = times.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (times[middle] < time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private BlockSummaries.RunSummary Summarise(ReadOnlySpan<double> values) =>
        _filtered ? BlockSummaries.Where(values, _op, _literal.ToDouble(), ref _sum, _sums) : BlockSummaries.All(values, ref _sum, _sums);

    private BlockSummaries.RunSummary Summarise(ReadOnlySpan<long> values)
    {
        if (!_filtered)
        {
            return BlockSummaries.All(values, ref _sum, _sums);
        }

        return _literal.Type == FieldType.Int64
            ? BlockSummaries.Where(values, _op, _literal.AsInt64, ref _sum, _sums)
            : BlockSummaries.Where(values, _op, _literal.ToDouble(), ref _sum, _sums);
    }
}
