using Strata.Core;
using Strata.Query.Execution.Expressions;
using Strata.Query.Execution.Functions;

namespace Strata.Query.Execution.Aggregation;

/// <summary>
/// Aggregates the points of one output series (query-language.md §7): each point goes to its time bucket and its
/// group of group-by values, where every function of the select list keeps a state. <see cref="Finish"/> turns the
/// groups into rows: buckets in query order (newest first unless <c>order asc</c>), groups in value order, the cross
/// product of multi-row functions, fill and the limit.
/// </summary>
public sealed class SeriesAggregator
{
    private readonly AggregatePlan _plan;
    private readonly ValueExpression?[] _arguments;
    private readonly int[] _groupPositions;
    private readonly Dictionary<long, Bucket> _buckets = [];
    private readonly SortedSet<FieldValue[]> _combinations = new(GroupKeyComparer.Instance);
    private readonly FieldValue[] _key;
    private long _lastBucketTime;
    private long _cachedStart;
    private long _cachedEnd;
    private Bucket? _lastBucket;
    private List<FieldValue[]>[]? _emitted;

    /// <param name="rowColumns">The layout of the rows passed to <see cref="Add"/>.</param>
    public SeriesAggregator(AggregatePlan plan, IReadOnlyList<string> rowColumns)
    {
        _plan = plan;
        int Position(string column)
        {
            for (var i = 0; i < rowColumns.Count; i++)
            {
                if (rowColumns[i] == column)
                {
                    return i;
                }
            }

            return -1;
        }

        _arguments = new ValueExpression?[plan.Functions.Count];
        for (var i = 0; i < _arguments.Length; i++)
        {
            if (plan.Functions[i].Argument is { } argument)
            {
                _arguments[i] = ValueExpression.Compile(argument, Position);
            }
        }

        _groupPositions = new int[plan.GroupColumns.Count];
        for (var i = 0; i < _groupPositions.Length; i++)
        {
            _groupPositions[i] = Position(plan.GroupColumns[i]);
        }

        _key = new FieldValue[_groupPositions.Length];
    }

    /// <summary>True once a point (or a folded block) has been added.</summary>
    public bool HasPoints { get; private set; }

    /// <summary>Adds one point that passed the where clause, in query order.</summary>
    public void Add(long time, ReadOnlySpan<FieldValue> row)
    {
        var states = StatesFor(BucketOf(time), row);
        for (var i = 0; i < states.Length; i++)
        {
            states[i].Add(time, _arguments[i]?.Evaluate(row) ?? FieldValue.Null);
        }
    }

    /// <summary>Folds a whole block whose times all fall in the bucket of <paramref name="time"/> (no group-by columns).</summary>
    public void AddBlock(long time, in BlockSummary block)
    {
        var states = StatesFor(BucketOf(time), []);
        for (var i = 0; i < states.Length; i++)
        {
            states[i].AddBlock(block);
        }
    }

    public long BucketOf(long time) => BucketOf(time, out _);

    /// <summary>The start of the bucket of <paramref name="time"/>; <paramref name="end"/> is the next bucket's start (long.MaxValue without group by time).</summary>
    public long BucketOf(long time, out long end)
    {
        if (_plan.Buckets is not { } buckets)
        {
            end = long.MaxValue;
            return 0;
        }

        // Points arrive in time order, so most fall in the bucket of the previous one: two compares instead of a
        // division (and a calendar computation for 1w/1M/1y).
        if (time < _cachedStart || time >= _cachedEnd)
        {
            _cachedStart = buckets.BucketOf(time);
            _cachedEnd = buckets.Next(_cachedStart);
        }

        end = _cachedEnd;
        return _cachedStart;
    }

    private AggregateState[] StatesFor(long bucketTime, ReadOnlySpan<FieldValue> row)
    {
        HasPoints = true;
        if (_lastBucket is null || bucketTime != _lastBucketTime)
        {
            if (!_buckets.TryGetValue(bucketTime, out _lastBucket))
            {
                _lastBucket = new Bucket();
                _buckets[bucketTime] = _lastBucket;
            }

            _lastBucketTime = bucketTime;
        }

        if (_groupPositions.Length == 0)
        {
            return _lastBucket.Single ??= NewStates();
        }

        for (var i = 0; i < _key.Length; i++)
        {
            var p = _groupPositions[i];
            _key[i] = p < 0 ? FieldValue.Null : row[p];
        }

        _lastBucket.Groups ??= new SortedDictionary<FieldValue[], AggregateState[]>(GroupKeyComparer.Instance);
        if (!_lastBucket.Groups.TryGetValue(_key, out var states))
        {
            var key = (FieldValue[])_key.Clone();
            states = NewStates();
            _lastBucket.Groups[key] = states;
            _combinations.Add(key);
        }

        return states;
    }

    private AggregateState[] NewStates()
    {
        var states = new AggregateState[_plan.Functions.Count];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = _plan.Functions[i].NewState();
        }

        return states;
    }

    /// <summary>The rows of the series (time, then one value per output column), or none when it has no result.</summary>
    public List<(long Time, FieldValue[] Values)> Finish()
    {
        var rows = new List<(long, FieldValue[])>();
        if (!_plan.Fill)
        {
            var times = new List<long>(_buckets.Keys);
            times.Sort();
            if (!_plan.Ascending)
            {
                times.Reverse();
            }

            foreach (var time in times)
            {
                if (!EmitBucket(time, _buckets[time], rows, fillMissingGroups: false))
                {
                    break;
                }
            }

            return rows;
        }

        // fill: every bucket of the range, with the fill value where a bucket (or a group in it) has no point (§7.4).
        long first, last;
        if (_plan.FillRange is { } range && (HasPoints || !_plan.HasValueCondition))
        {
            (first, last) = range;
        }
        else if (HasPoints)
        {
            first = long.MaxValue;
            last = long.MinValue;
            foreach (var time in _buckets.Keys)
            {
                first = Math.Min(first, time);
                last = Math.Max(last, time);
            }
        }
        else
        {
            return rows;
        }

        var buckets = _plan.Buckets!;
        var steps = ((Int128)last - first) / Math.Max(1, buckets.Nanos / 1000);
        if (steps > AggregatePlan.MaxFilledBuckets)
        {
            throw StrataException.BadRequest($"fill() would return more than {AggregatePlan.MaxFilledBuckets} buckets; narrow the time range or widen the interval");
        }

        var all = new List<long>();
        for (var time = first; time <= last && all.Count <= AggregatePlan.MaxFilledBuckets; time = buckets.Next(time))
        {
            all.Add(time);
        }

        if (!_plan.Ascending)
        {
            all.Reverse();
        }

        foreach (var time in all)
        {
            if (!EmitBucket(time, _buckets.GetValueOrDefault(time) ?? new Bucket(), rows, fillMissingGroups: true))
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>Appends a bucket's rows; false once the limit is reached.</summary>
    private bool EmitBucket(long time, Bucket bucket, List<(long, FieldValue[])> rows, bool fillMissingGroups)
    {
        var rowTime = _plan.Buckets is null ? 0 : time;
        if (_groupPositions.Length == 0)
        {
            return EmitGroup(rowTime, bucket.Single ?? NewStates(), [], rows);
        }

        if (fillMissingGroups)
        {
            foreach (var key in _combinations)
            {
                var states = bucket.Groups is not null && bucket.Groups.TryGetValue(key, out var found) ? found : NewStates();
                if (!EmitGroup(rowTime, states, key, rows))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var (key, states) in bucket.Groups ?? [])
        {
            if (!EmitGroup(rowTime, states, key, rows))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The rows of one group: the cross product of every function's rows, the first function varying fastest; a
    /// function without rows suppresses the group (§7.3). Each row ends with the group-by values.
    /// </summary>
    private bool EmitGroup(long time, AggregateState[] states, FieldValue[] key, List<(long, FieldValue[])> rows)
    {
        // The per-function row lists are reused from group to group; the rows in them are new arrays each time.
        var perFunction = _emitted ??= NewLists(states.Length);
        var combinations = 1L;
        for (var i = 0; i < states.Length; i++)
        {
            perFunction[i].Clear();
            states[i].Emit(perFunction[i], _plan.FillValue);
            combinations *= perFunction[i].Count;
        }

        if (combinations == 1 && states.Length == 1 && key.Length == 0)
        {
            // One function, one row, no group-by values: its row is the output row.
            rows.Add((time, perFunction[0][0]));
            return _plan.Limit <= 0 || rows.Count < _plan.Limit;
        }

        var width = _plan.OutputColumns.Count;
        var indexes = new int[states.Length];
        for (var n = 0L; n < combinations; n++)
        {
            var values = new FieldValue[width];
            var offset = 0;
            for (var i = 0; i < states.Length; i++)
            {
                var part = perFunction[i][indexes[i]];
                part.CopyTo(values, offset);
                offset += part.Length;
            }

            key.CopyTo(values, offset);
            rows.Add((time, values));
            if (_plan.Limit > 0 && rows.Count >= _plan.Limit)
            {
                return false;
            }

            for (var i = 0; i < indexes.Length && ++indexes[i] == perFunction[i].Count; i++)
            {
                indexes[i] = 0;
            }
        }

        return true;
    }

    private static List<FieldValue[]>[] NewLists(int count)
    {
        var lists = new List<FieldValue[]>[count];
        for (var i = 0; i < count; i++)
        {
            lists[i] = [];
        }

        return lists;
    }

    private sealed class Bucket
    {
        public AggregateState[]? Single;
        public SortedDictionary<FieldValue[], AggregateState[]>? Groups;
    }

    /// <summary>Group keys compared value by value in 0.8's group order.</summary>
    private sealed class GroupKeyComparer : IComparer<FieldValue[]>
    {
        public static readonly GroupKeyComparer Instance = new();

        public int Compare(FieldValue[]? x, FieldValue[]? y)
        {
            for (var i = 0; i < x!.Length; i++)
            {
                var c = ValueOrder.Instance.Compare(x[i], y![i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }
    }
}
