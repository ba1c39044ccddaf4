using Strata.Core;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// <c>histogram(x [, size [, start [, stop]]])</c> (query-language.md §7.5 "histogram details"): each point counts in
/// bucket k = ⌊(v − start) / size⌋, with v = 0 for null, string and bool values. With a stop only k ≤ ⌊(stop − start) /
/// size⌋ count, and every bucket 0…that index is shown (zeros included); with an explicit start, buckets below it
/// are hidden. Columns <c>bucket_start</c> (float) and <c>count</c> (int), prefixed <c>alias_</c> when aliased. Rows
/// come in ascending bucket order (0.8: map order). An empty group gives one row <c>[null, 0]</c>.
/// </summary>
public sealed class Histogram(string? alias, Parsing.Ast.Expr? argument, double size, double start, bool explicitStart, long stopIndex)
    : AggregateFunction(alias is null ? ["bucket_start", "count"] : [alias + "_bucket_start", alias + "_count"], argument)
{
    /// <summary>The most zero-count buckets a stop may ask for; more is refused when the query is planned.</summary>
    public const long MaxStopIndex = 1_000_000;

    public override AggregateState NewState() => new State(this);

    private sealed class State(Histogram function) : AggregateState
    {
        private readonly SortedDictionary<long, long> _buckets = [];
        private bool _any;

        public override void Add(long time, FieldValue value)
        {
            _any = true;
            var v = value.IsNumeric ? value.ToDouble() : 0;
            var k = BucketIndex(Math.Floor((v - function._start) / function._size));
            if (function._stopIndex < 0 || k <= function._stopIndex)
            {
                _buckets[k] = _buckets.GetValueOrDefault(k) + 1;
            }
        }

        public override void Emit(List<FieldValue[]> rows, FieldValue empty)
        {
            if (!_any)
            {
                rows.Add([FieldValue.Null, FieldValue.FromInt64(0)]);
                return;
            }

            if (function._stopIndex >= 0)
            {
                for (var k = 0L; k <= function._stopIndex; k++)
                {
                    _buckets.TryAdd(k, 0);
                }
            }

            foreach (var (k, count) in _buckets)
            {
                var bucketStart = (k * function._size) + function._start;
                if (function._explicitStart && bucketStart < function._start)
                {
                    continue;
                }

                rows.Add([FieldValue.FromDouble(bucketStart), FieldValue.FromInt64(count)]);
            }
        }

        private static long BucketIndex(double k) =>
            double.IsNaN(k) ? long.MinValue : k >= long.MaxValue ? long.MaxValue : k <= long.MinValue ? long.MinValue : (long)k;
    }

    private readonly double _size = size;
    private readonly double _start = start;
    private readonly bool _explicitStart = explicitStart;
    private readonly long _stopIndex = stopIndex;
}
