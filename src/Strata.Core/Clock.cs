namespace Strata.Core;

/// <summary>Server time in microseconds since the Unix epoch.</summary>
public static class Clock
{
    public static long NowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
