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
    public string Name { get; }

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
}

/// <summary>A validated write request: series in body order, points in body order.</summary>
public sealed class WriteBatch
{
    public List<SeriesPoints> Series { get; } = [];

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
