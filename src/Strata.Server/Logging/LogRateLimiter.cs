using System.Collections.Concurrent;

namespace Strata.Server.Logging;

/// <summary>
/// Keeps warnings on per-request and per-tick paths from flooding the log (STYLE.md "Configuration and logging"): at
/// most one message per key per interval goes out, carrying the number of messages suppressed since the last one.
/// </summary>
public sealed class LogRateLimiter
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly long _intervalMillis;
    private readonly Func<long> _nowMillis;

    public LogRateLimiter(TimeSpan interval, Func<long>? nowMillis = null)
    {
        _intervalMillis = (long)interval.TotalMilliseconds;
        _nowMillis = nowMillis ?? (static () => Environment.TickCount64);
    }

    /// <summary>True when a message for <paramref name="key"/> may be logged now; <paramref name="suppressed"/> counts those held back since the last one.</summary>
    public bool TryAcquire(string key, out long suppressed)
    {
        var now = _nowMillis();
        var window = _windows.GetOrAdd(key, static _ => new Window());
        lock (window)
        {
            if (window.Logged && now - window.LastMillis < _intervalMillis)
            {
                window.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = window.Suppressed;
            window.Suppressed = 0;
            window.LastMillis = now;
            window.Logged = true;
            return true;
        }
    }

    private sealed class Window
    {
        public bool Logged;
        public long LastMillis;
        public long Suppressed;
    }
}
