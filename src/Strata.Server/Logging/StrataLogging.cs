using Microsoft.Extensions.Logging;
using Strata.Server.Config;

namespace Strata.Server.Logging;

/// <summary>Logging set-up from <c>[logging]</c>: standard output, or a file path (appended), at the configured level.</summary>
public static class StrataLogging
{
    public static void Configure(ILoggingBuilder logging, StrataOptions options)
    {
        logging.SetMinimumLevel(options.LogLevel);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        if (options.LogToStdout || options.LogFile is "stdout" or "" || IsSyslogFacility(options.LogFile))
        {
            logging.AddSimpleConsole(c =>
            {
                c.SingleLine = true;
                c.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }
        else
        {
            logging.AddProvider(new FileLoggerProvider(options.LogFile));
        }
    }

    /// <summary>0.8 accepts syslog facilities; Strata logs those to standard output (journald picks it up).</summary>
    private static bool IsSyslogFacility(string value) =>
        value.Equals("syslog", StringComparison.OrdinalIgnoreCase) || value.StartsWith("local", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Appends one line per log entry to a file.</summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public FileLoggerProvider(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    internal void Write(string line)
    {
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer.Dispose();

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} [{logLevel}] {category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += " " + exception.Message;
            }

            provider.Write(line);
        }
    }
}
