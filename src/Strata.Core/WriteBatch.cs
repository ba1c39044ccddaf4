namespace Strata.Core;

/// <summary>
/// The points of one series in one write request, column-major friendly: <see cref="Values"/> holds
/// <c>PointCount × Columns.Count</c> cells in row order. Time and sequence number are kept apart from the
/// value columns, as 0.8 does.
/// </summary>
public sealed class SeriesPoints
{
    public SeriesPoints(string name, List<string> columns)
    {
        Name = name;
        Columns = columns;
    }

    /// <summary>The series name.</summary>
    public string Name { get; private set; }

    /// <summary>The value columns (never <c>time</c> or <c>sequence_number</c>), unique.</summary>
    public List<string> Columns { get; }

    public int PointCount => Times.Count;

    /// <summary>Point time in µs, or <see cref="long.MinValue"/> while unassigned (the server assigns one).</summary>
    public List<long> Times { get; } = [];

    /// <summary>Sequence number, or -1 while unassigned (the server assigns one).</summary>
    public List<long> Seqs { get; } = [];

    /// <summary>True where the client supplied the sequence number: only such a point can update an existing one.</summary>
    public List<bool> ClientSeq { get; } = [];

    /// <summary>Row-major cells, <c>PointCount × Columns.Count</c>.</summary>
    public List<FieldValue> Values { get; } = [];

    public const long NoTime = long.MinValue;

    public const long NoSeq = -1;

    public FieldValue GetValue(int point, int column) => Values[(point * Columns.Count) + column];

    /// <summary>Empties this object for reuse under another name, keeping the lists' capacity.</summary>
    internal void Reset(string name)
    {
        Name = name;
        Columns.Clear();
        Times.Clear();
        Seqs.Clear();
        ClientSeq.Clear();
        Values.Clear();
    }
}

/// <summary>A validated write request: series in body order, points in body order.</summary>
/// <remarks>
/// A batch can be reused: <see cref="Clear"/> keeps the <see cref="SeriesPoints"/> that <see cref="AddSeries"/>
/// handed out, and later calls hand them out again with their lists' capacity, so a reader that fills one batch per
/// request (the write parser, WAL replay) allocates nothing per point once the batch has grown to its working size.
/// </remarks>
public sealed class WriteBatch
{
    private readonly List<SeriesPoints> _owned = [];
    private int _handedOut;

    public List<SeriesPoints> Series { get; } = [];

    /// <summary>Appends an empty series object named <paramref name="name"/>, reusing one this batch owns when it can.</summary>
    public SeriesPoints AddSeries(string name)
    {
        SeriesPoints series;
        if (_handedOut < _owned.Count)
        {
            series = _owned[_handedOut];
            series.Reset(name);
        }
        else
        {
            series = new SeriesPoints(name, []);
            _owned.Add(series);
        }

        _handedOut++;
        Series.Add(series);
        return series;
    }

    /// <summary>Empties the batch; the series objects it handed out are reused by later <see cref="AddSeries"/> calls.</summary>
    public void Clear()
    {
        Series.Clear();
        _handedOut = 0;
    }

    /// <summary>Points and cells this batch keeps room for: a pool drops batches that one huge request grew.</summary>
    public long RetainedCells
    {
        get
        {
            long cells = 0;
            foreach (var s in _owned)
            {
                cells += s.Times.Capacity + s.Values.Capacity;
            }

            return cells;
        }
    }

    public int PointCount
    {
        get
        {
            var n = 0;
            foreach (var s in Series)
            {
                n += s.PointCount;
            }

            return n;
        }
    }
}
