using Microsoft.Extensions.Logging;
using Strata.Core;
using Strata.Query.Execution;

namespace Strata.Server.Background;

/// <summary>Runs periodic continuous queries once a second (query-language.md §10.4).</summary>
public sealed partial class ContinuousQueryScheduler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ILogger _logger;
    private readonly Logging.LogRateLimiter _warnings = new(TimeSpan.FromMinutes(1));

    public ContinuousQueryScheduler(QueryEngine engine, ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(() => LoopAsync(engine));
    }

    private async Task LoopAsync(QueryEngine engine)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await engine.ContinuousQueries.RunPeriodicAsync(engine, Clock.NowMicros(), (query, e) =>
                    {
                        // A failing query is retried every second; say so once a minute per query.
                        if (_warnings.TryAcquire(query.Database + "/" + query.Id, out var suppressed))
                        {
                            Failed(_logger, query.Database, query.Id, e.Message, suppressed);
                        }
                    });
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    LoopFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Continuous query {Id} of database {Database} failed: {Message} ({Suppressed} repeats not logged since the last warning)")]
    private static partial void Failed(ILogger logger, string database, int id, string message, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Continuous query scheduler iteration failed")]
    private static partial void LoopFailed(ILogger logger, Exception exception);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
