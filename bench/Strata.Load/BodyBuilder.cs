using System.Buffers;
using System.Globalization;
using System.Text;

namespace Strata.Load;

/// <summary>One pre-built request body and the number of points it carries.</summary>
internal readonly record struct Body(byte[] Bytes, int Points);

/// <summary>
/// Builds every request body of a write workload up front, so the measured loop only sends bytes.
/// </summary>
/// <remarks>
/// The data set is <c>series × points</c> points: series <c>i</c> is <c>cpu.host&lt;i&gt;</c> (JSON) or
/// <c>cpu,host=host&lt;i&gt;</c> (line protocol), point <c>k</c> has time <c>start + k × interval</c> and
/// one value per column <c>c0 …</c>. Points are sent time-block by time-block as an agent fleet
/// would: each body holds runs of <c>max(1, batch / series)</c> consecutive points for as many
/// series as fit in <c>batch</c>, one series object per run. The same options and seed always
/// give the same bytes.
/// </remarks>
internal sealed class BodyBuilder
{
    private readonly Options _options;
    private readonly Random _random;
    private readonly double[] _walk;
    private readonly long[] _counter;
    private readonly long _startUnits;
    private readonly long _stepUnits;
    private readonly byte[][] _seriesNames;
    private readonly byte[][] _columnNames;

    public BodyBuilder(Options options)
    {
        _options = options;
        _random = new Random(options.Seed);
        var cells = options.Series * options.Columns;
        _walk = new double[cells];
        Array.Fill(_walk, 50.0);
        _counter = new long[cells];
        var unit = options.PrecisionNanoseconds;
        _startUnits = (options.Start - DateTimeOffset.UnixEpoch).Ticks * 100 / unit;
        _stepUnits = options.Interval.Ticks * 100 / unit;
        _seriesNames = new byte[options.Series][];
        for (var s = 0; s < options.Series; s++)
        {
            var name = options.Format == BodyFormat.Json ? $"cpu.host{s}" : $"cpu,host=host{s}";
            _seriesNames[s] = Encoding.UTF8.GetBytes(name);
        }

        _columnNames = new byte[options.Columns][];
        for (var c = 0; c < options.Columns; c++)
        {
            _columnNames[c] = Encoding.UTF8.GetBytes("c" + c.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Points per series in one run: as many as let one body cover every series once.</summary>
    public int RunLength => Math.Clamp(_options.Batch / _options.Series, 1, _options.Points);

    /// <summary>Builds all bodies (call once: the value generators advance).</summary>
    public List<Body> BuildAll()
    {
        var bodies = new List<Body>((int)Math.Min(int.MaxValue, (_options.TotalPoints / _options.Batch) + 1));
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var pointsInBody = 0;
        var run = RunLength;
        for (var first = 0; first < _options.Points; first += run)
        {
            var count = Math.Min(run, _options.Points - first);
            for (var s = 0; s < _options.Series; s++)
            {
                if (pointsInBody > 0 && pointsInBody + count > _options.Batch)
                {
                    bodies.Add(Finish(buffer, pointsInBody));
                    pointsInBody = 0;
                }

                if (_options.Format == BodyFormat.Json)
                {
                    WriteJsonSeries(buffer, s, first, count, pointsInBody == 0);
                }
                else
                {
                    WriteLines(buffer, s, first, count);
                }

                pointsInBody += count;
            }
        }

        if (pointsInBody > 0)
        {
            bodies.Add(Finish(buffer, pointsInBody));
        }

        return bodies;
    }

    private Body Finish(ArrayBufferWriter<byte> buffer, int points)
    {
        if (_options.Format == BodyFormat.Json)
        {
            Write(buffer, "]"u8);
        }

        var body = new Body(buffer.WrittenSpan.ToArray(), points);
        buffer.ResetWrittenCount();
        return body;
    }

    // [{"name":"cpu.host0","columns":["time","c0"],"points":[[1577836800,50.12],[1577836810,49.87]]},…]
    private void WriteJsonSeries(ArrayBufferWriter<byte> buffer, int series, int first, int count, bool firstInBody)
    {
        Write(buffer, firstInBody ? "[{\"name\":\""u8 : ",{\"name\":\""u8);
        Write(buffer, _seriesNames[series]);
        Write(buffer, "\",\"columns\":[\"time\""u8);
        foreach (var column in _columnNames)
        {
            Write(buffer, ",\""u8);
            Write(buffer, column);
            Write(buffer, "\""u8);
        }

        Write(buffer, "],\"points\":["u8);
        for (var k = first; k < first + count; k++)
        {
            Write(buffer, k == first ? "["u8 : ",["u8);
            WriteInteger(buffer, _startUnits + (k * _stepUnits));
            for (var c = 0; c < _columnNames.Length; c++)
            {
                Write(buffer, ","u8);
                WriteValue(buffer, (series * _columnNames.Length) + c, lineProtocol: false);
            }

            Write(buffer, "]"u8);
        }

        Write(buffer, "]}"u8);
    }

    // cpu,host=host0 c0=50.12 1577836800
    private void WriteLines(ArrayBufferWriter<byte> buffer, int series, int first, int count)
    {
        for (var k = first; k < first + count; k++)
        {
            Write(buffer, _seriesNames[series]);
            for (var c = 0; c < _columnNames.Length; c++)
            {
                Write(buffer, c == 0 ? " "u8 : ","u8);
                Write(buffer, _columnNames[c]);
                Write(buffer, "="u8);
                WriteValue(buffer, (series * _columnNames.Length) + c, lineProtocol: true);
            }

            Write(buffer, " "u8);
            WriteInteger(buffer, _startUnits + (k * _stepUnits));
            Write(buffer, "\n"u8);
        }
    }

    private void WriteValue(ArrayBufferWriter<byte> buffer, int cell, bool lineProtocol)
    {
        switch (_options.Values)
        {
            case ValueKind.Walk:
                var next = Math.Round(_walk[cell] + ((_random.NextDouble() * 2) - 1), 2);
                _walk[cell] = next;
                WriteDouble(buffer, next, "F2");
                break;
            case ValueKind.Counter:
                WriteInteger(buffer, _counter[cell]++);
                if (lineProtocol)
                {
                    Write(buffer, "i"u8); // an integer field in line protocol, as the 0.8 JSON integer is
                }

                break;
            default:
                WriteDouble(buffer, _random.NextDouble() * 100, "R");
                break;
        }
    }

    private static void WriteDouble(ArrayBufferWriter<byte> buffer, double value, string format)
    {
        var span = buffer.GetSpan(32);
        if (!value.TryFormat(span, out var n, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("BUG: a double did not fit in 32 bytes");
        }

        // A float must not look like an integer, or 0.8 stores it as int64.
        if (span[..n].IndexOfAny("."u8[0], (byte)'E') < 0)
        {
            ".0"u8.CopyTo(span[n..]);
            n += 2;
        }

        buffer.Advance(n);
    }

    private static void WriteInteger(ArrayBufferWriter<byte> buffer, long value)
    {
        var span = buffer.GetSpan(20);
        if (!value.TryFormat(span, out var n, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("BUG: a long did not fit in 20 bytes");
        }

        buffer.Advance(n);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);
}
