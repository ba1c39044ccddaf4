using System.Text;
using System.Text.Json;
using Strata.Core;

namespace Strata.Server.Protocol;

/// <summary>
/// Reads a 0.8 write body (<c>[{"name","columns","points"}]</c>) into a <see cref="WriteBatch"/> with 0.8's
/// classification and error texts (reference http-api.md §5). Only the first JSON value of the body is read.
/// Syntax errors win over type errors, and type errors over conversion errors, as in Go.
/// </summary>
public static partial class SeriesJsonReader
{
    private const string SeriesArrayType = "[]*common.SerializedSeries";

    /// <summary>Parses and converts a body; throws <see cref="StrataException"/> (400) with 0.8's message.</summary>
    public static WriteBatch Read(ReadOnlySpan<byte> body, TimePrecision precision)
    {
        var batch = new WriteBatch();
        Read(body, precision, batch);
        return batch;
    }

    /// <summary>
    /// Parses and converts a body into <paramref name="batch"/> (cleared first; its series objects are reused), so
    /// a pooled batch makes a warm write allocate nothing per point. Throws <see cref="StrataException"/> (400) with
    /// 0.8's message; the batch's content is then unspecified.
    /// </summary>
    public static void Read(ReadOnlySpan<byte> body, TimePrecision precision, WriteBatch batch) =>
        Read(body, precision, batch, ReadPath.Fastest);

    /// <summary>
    /// How a body is read. <see cref="Fastest"/> tries the plain-body scanner converting straight into the batch, then the
    /// scanner through the scratch cells, then <see cref="Utf8JsonReader"/>; the others start further down that list
    /// (tests compare all three, a benchmark times each).
    /// </summary>
    internal enum ReadPath
    {
        Fastest,
        PlainCells,
        Utf8JsonReader,
    }

    /// <summary>As <see cref="Read(ReadOnlySpan{byte}, TimePrecision, WriteBatch)"/>, starting at <paramref name="path"/>.</summary>
    internal static void Read(ReadOnlySpan<byte> body, TimePrecision precision, WriteBatch batch, ReadPath path)
    {
        batch.Clear();
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        try
        {
            if (path == ReadPath.Fastest && PlainBody.TryReadDirect(body, precision, batch, scratch))
            {
                return;
            }

            batch.Clear();
            scratch.Reset();
            bool any;
            string? typeError;
            try
            {
                if (path != ReadPath.Utf8JsonReader && PlainBody.TryRead(body, scratch))
                {
                    any = true;
                    typeError = null;
                }
                else
                {
                    scratch.Reset();
                    any = Parse(body, scratch, out typeError);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw StrataException.BadRequest(GoJsonErrors.Describe(body) ?? "invalid JSON: " + e.Message);
            }

            if (typeError is not null)
            {
                throw StrataException.BadRequest(typeError);
            }

            if (any)
            {
                Convert(scratch, precision, batch);
            }
        }
        finally
        {
            if (scratch.Reset())
            {
                t_scratch = scratch;
            }
        }
    }

    /// <summary>One parse's intermediate form, kept per thread and reused: no per-point allocation while parsing.</summary>
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>The series objects of a body in body order (reused across bodies) and one flat list of all cells.</summary>
    private sealed class Scratch
    {
        private const int MaxRetainedCells = 1 << 20;

        private readonly List<RawSeries> _series = [];

        public List<RawCell> Cells { get; } = new(1024);

        /// <summary>The columns of the series the direct path is reading, and those of them that hold values.</summary>
        public List<string> DirectColumns { get; } = [];

        public List<string> DirectValueColumns { get; } = [];

        public int SeriesCount { get; private set; }

        public RawSeries Series(int i) => _series[i];

        public RawSeries AddSeries()
        {
            if (SeriesCount == _series.Count)
            {
                _series.Add(new RawSeries());
            }

            var series = _series[SeriesCount++];
            series.Clear();
            return series;
        }

        /// <summary>Empties this scratch for the next body; false when one huge body grew it past what is worth keeping.</summary>
        public bool Reset()
        {
            Cells.Clear();
            SeriesCount = 0;
            return Cells.Capacity <= MaxRetainedCells && _series.Count <= MaxRetainedCells / 16;
        }
    }

    /// <summary>One series object of the body. A missing or null <c>columns</c>/<c>points</c> reads as empty, as in Go.</summary>
    private sealed class RawSeries
    {
        public string Name = string.Empty;
        public readonly List<string> Columns = [];
        /// <summary>Per point: (first cell in the body's flat cell list, cell count), count -1 for a null point.</summary>
        public readonly List<(int Start, int Count)> Points = [];

        public void Clear()
        {
            Name = string.Empty;
            Columns.Clear();
            Points.Clear();
        }
    }

    private enum Key : byte
    {
        Other,
        Name,
        Columns,
        Points,
    }

    private enum CellKind : byte
    {
        Null,
        String,
        True,
        False,
        Integer,
        Float,
        OutOfRange,
        Array,
        Object,
    }

    private readonly record struct RawCell(CellKind Kind, long Integer, double Float, string? Text);

    /// <summary>Reads the body into <paramref name="scratch"/>; false when it is JSON null or not an array.</summary>
    private static bool Parse(ReadOnlySpan<byte> body, Scratch scratch, out string? typeError)
    {
        typeError = null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 });
        if (!reader.Read())
        {
            throw new JsonException("EOF");
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            typeError = TypeError(reader.TokenType, SeriesArrayType);
            SkipValue(ref reader);
            return false;
        }

        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                typeError ??= TypeError(reader.TokenType, "common.SerializedSeries");
                SkipValue(ref reader);
                continue;
            }

            var series = scratch.AddSeries();
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                var key = GoJsonStrings.Is(ref reader, "name"u8) ? Key.Name
                    : GoJsonStrings.Is(ref reader, "columns"u8) ? Key.Columns
                    : GoJsonStrings.Is(ref reader, "points"u8) ? Key.Points
                    : Key.Other;
                Read(ref reader);
                if (key == Key.Name)
                {
                    ReadName(ref reader, series, ref typeError);
                }
                else if (key == Key.Columns)
                {
                    ReadColumns(ref reader, series.Columns, ref typeError);
                }
                else if (key == Key.Points)
                {
                    ReadPoints(ref reader, series.Points, scratch.Cells, ref typeError);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

        }

        return true;
    }

    private static void ReadName(ref Utf8JsonReader reader, RawSeries series, ref string? typeError)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            series.Name = GoJsonStrings.ReadName(ref reader);
        }
        else if (reader.TokenType != JsonTokenType.Null)
        {
            typeError ??= TypeError(reader.TokenType, "string");
            SkipValue(ref reader);
        }
    }

    /// <summary>A repeated key replaces the earlier value, as Go's decoder does.</summary>
    private static void ReadColumns(ref Utf8JsonReader reader, List<string> columns, ref string? typeError)
    {
        columns.Clear();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            typeError ??= TypeError(reader.TokenType, "[]string");
            SkipValue(ref reader);
            return;
        }

        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                columns.Add(GoJsonStrings.ReadName(ref reader));
            }
            else if (reader.TokenType == JsonTokenType.Null)
            {
                columns.Add(string.Empty);
            }
            else
            {
                typeError ??= TypeError(reader.TokenType, "string");
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadPoints(ref Utf8JsonReader reader, List<(int Start, int Count)> points, List<RawCell> cells, ref string? typeError)
    {
        points.Clear();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            typeError ??= TypeError(reader.TokenType, "[][]interface {}");
            SkipValue(ref reader);
            return;
        }

        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                points.Add((cells.Count, -1));
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                typeError ??= TypeError(reader.TokenType, "[]interface {}");
                SkipValue(ref reader);
                continue;
            }

            var start = cells.Count;
            while (Read(ref reader) != JsonTokenType.EndArray)
            {
                cells.Add(ReadCell(ref reader));
            }

            points.Add((start, cells.Count - start));
        }
    }

    private static RawCell ReadCell(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new RawCell(CellKind.String, 0, 0, GoJsonStrings.Read(ref reader));
            case JsonTokenType.True:
                return new RawCell(CellKind.True, 0, 0, null);
            case JsonTokenType.False:
                return new RawCell(CellKind.False, 0, 0, null);
            case JsonTokenType.Null:
                return default;
            case JsonTokenType.Number:
                if (reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && reader.TryGetInt64(out var integer))
                {
                    return new RawCell(CellKind.Integer, integer, integer, null);
                }

                if (reader.TryGetDouble(out var d) && double.IsFinite(d))
                {
                    return new RawCell(CellKind.Float, 0, d, null);
                }

                return new RawCell(CellKind.OutOfRange, 0, 0, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.StartArray:
                return new RawCell(CellKind.Array, 0, 0, GoValueText.Render(ref reader));
            default:
                return new RawCell(CellKind.Object, 0, 0, GoValueText.Render(ref reader));
        }
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("unexpected EOF");
        }

        return reader.TokenType;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            var depth = reader.CurrentDepth;
            while (Read(ref reader) != JsonTokenType.EndArray || reader.CurrentDepth > depth)
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth)
                {
                    return;
                }
            }
        }
    }

    private static string TypeError(JsonTokenType token, string goType) =>
        $"json: cannot unmarshal {GoValueText.Kind(token)} into Go value of type {goType}";

    private static void Convert(Scratch scratch, TimePrecision precision, WriteBatch batch)
    {
        var scale = precision.MicrosPerUnit();
        var cells = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scratch.Cells);
        for (var i = 0; i < scratch.SeriesCount; i++)
        {
            var series = scratch.Series(i);
            if (series.Points.Count == 0)
            {
                continue;
            }

            var columns = series.Columns;
            if (HasDuplicate(columns))
            {
                throw StrataException.BadRequest("Cannot have duplicate field names");
            }

            var timeIndex = columns.IndexOf("time");
            var seqIndex = columns.IndexOf("sequence_number");

            // Objects with the same name stay apart, in body order: storage is per column, so the union of their
            // columns (§5.9) falls out, and sequence numbers follow the body order (Strata choice, §5.6).
            var target = batch.AddSeries(series.Name);
            var valueColumns = target.Columns;
            AddValueColumns(columns, valueColumns);

            target.Times.EnsureCapacity(series.Points.Count);
            target.Seqs.EnsureCapacity(series.Points.Count);
            target.ClientSeq.EnsureCapacity(series.Points.Count);
            target.Values.EnsureCapacity(series.Points.Count * valueColumns.Count);
            foreach (var (start, count) in series.Points)
            {
                if (Math.Max(count, 0) != columns.Count)
                {
                    throw StrataException.BadRequest("invalid payload");
                }

                var point = cells.Slice(start, count);

                var time = SeriesPoints.NoTime;
                var seq = SeriesPoints.NoSeq;
                if (timeIndex >= 0)
                {
                    time = ConvertTime(point[timeIndex], scale);
                }

                if (seqIndex >= 0)
                {
                    seq = ConvertSequence(point[seqIndex]);
                }

                target.Times.Add(time);
                target.Seqs.Add(seq);
                target.ClientSeq.Add(seqIndex >= 0);
                for (var c = 0; c < point.Length; c++)
                {
                    if (c != timeIndex && c != seqIndex)
                    {
                        target.Values.Add(ConvertValue(point[c]));
                    }
                }
            }

            if (valueColumns.Count == 0)
            {
                throw StrataException.BadRequest("Unable to write points without fields");
            }
        }
    }

    /// <summary>Adds the columns other than <c>time</c> and <c>sequence_number</c> to <paramref name="values"/>, in order.</summary>
    private static void AddValueColumns(List<string> columns, List<string> values)
    {
        foreach (var c in columns)
        {
            if (c is not ("time" or "sequence_number"))
            {
                values.Add(c);
            }
        }
    }

    /// <summary>Pairwise for the usual handful of columns (no set to allocate), a set beyond that.</summary>
    private static bool HasDuplicate(List<string> columns)
    {
        if (columns.Count > 16)
        {
            return new HashSet<string>(columns, StringComparer.Ordinal).Count != columns.Count;
        }

        for (var i = 1; i < columns.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(columns[i], columns[j], StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static long ConvertTime(RawCell cell, long scale)
    {
        var seconds = NumberOrThrow(cell, "time");
        var truncated = Math.Truncate(seconds);
        if (truncated >= 9.2233720368547758E18 || truncated < -9.2233720368547758E18)
        {
            throw OutOfRange();
        }

        try
        {
            return checked((long)truncated * scale);
        }
        catch (OverflowException)
        {
            throw OutOfRange();
        }

        static StrataException OutOfRange() => StrataException.BadRequest(
            "json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]");
    }

    private static long ConvertSequence(RawCell cell)
    {
        var value = NumberOrThrow(cell, "sequence_number");
        if (cell.Kind == CellKind.Integer && cell.Integer >= 0)
        {
            return cell.Integer;
        }

        if (value < 0 || value != Math.Floor(value) || value >= 9.2233720368547758E18)
        {
            throw StrataException.BadRequest("sequence_number must be a non-negative integer");
        }

        return (long)value;
    }

    private static double NumberOrThrow(RawCell cell, string field)
    {
        return cell.Kind switch
        {
            CellKind.Integer => cell.Integer,
            CellKind.Float => cell.Float,
            CellKind.OutOfRange => throw StrataException.BadRequest($"strconv.ParseFloat: parsing \"{cell.Text}\": value out of range"),
            _ => throw StrataException.BadRequest($"{field} field must be float but is {Describe(cell)}"),
        };
    }

    private static string Describe(RawCell cell) => cell.Kind switch
    {
        CellKind.String => $"string ({cell.Text})",
        CellKind.True => "bool (true)",
        CellKind.False => "bool (false)",
        CellKind.Null => "<nil> (<nil>)",
        CellKind.Array => $"[]interface {{}} ({cell.Text})",
        _ => $"map[string]interface {{}} ({cell.Text})",
    };

    private static FieldValue ConvertValue(in RawCell cell) => cell.Kind switch
    {
        CellKind.Null => FieldValue.Null,
        CellKind.String => FieldValue.FromString(cell.Text!),
        CellKind.True => FieldValue.FromBool(true),
        CellKind.False => FieldValue.FromBool(false),
        CellKind.Integer => FieldValue.FromInt64(cell.Integer),
        CellKind.Float => FieldValue.FromDouble(cell.Float),
        CellKind.OutOfRange => throw StrataException.BadRequest($"strconv.ParseFloat: parsing \"{cell.Text}\": value out of range"),
        CellKind.Array => throw StrataException.BadRequest("Unknown type []interface {}"),
        _ => throw StrataException.BadRequest("Unknown type map[string]interface {}"),
    };
}
