using Microsoft.Extensions.Logging;

namespace Strata.Server.Http;

internal static partial class HttpLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Internal error answering {Method} {Path} ({Suppressed} alike not logged since the last one)")]
    public static partial void InternalError(ILogger logger, string method, string? path, long suppressed, Exception exception);
}
