namespace Strata.Core;

/// <summary>The unit of <c>time</c> values on the wire. Internally every time is microseconds since the Unix epoch.</summary>
public enum TimePrecision
{
    Seconds,
    Milliseconds,
    Microseconds,
}

public static class TimePrecisions
{
    /// <summary>
    /// Parses 0.8's <c>time_precision</c> parameter: <c>s</c>, <c>ms</c>, <c>m</c> (milliseconds, deprecated alias),
    /// <c>u</c>; absent or empty means milliseconds.
    /// </summary>
    public static bool TryParse(string? text, out TimePrecision precision)
    {
        switch (text)
        {
            case null or "" or "ms" or "m":
                precision = TimePrecision.Milliseconds;
                return true;
            case "s":
                precision = TimePrecision.Seconds;
                return true;
            case "u":
                precision = TimePrecision.Microseconds;
                return true;
            default:
                precision = TimePrecision.Milliseconds;
                return false;
        }
    }

    /// <summary>Microseconds per unit of the precision.</summary>
    public static long MicrosPerUnit(this TimePrecision precision) => precision switch
    {
        TimePrecision.Seconds => 1_000_000,
        TimePrecision.Milliseconds => 1_000,
        _ => 1,
    };

    /// <summary>Converts microseconds to the precision, truncating toward zero as 0.8 does (-1500 µs is -1 ms).</summary>
    public static long FromMicros(this TimePrecision precision, long micros) => micros / precision.MicrosPerUnit();
}
