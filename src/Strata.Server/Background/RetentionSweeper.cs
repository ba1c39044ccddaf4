using Microsoft.Extensions.Logging;
using Strata.Core;
using Strata.Storage;

namespace Strata.Server.Background;

/// <summary>Every <c>retention-sweep-period</c>, drops whole shards past their space's retention, in every database (reference §8.7).</summary>
public sealed partial class RetentionSweeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RetentionSweeper(StorageEngine engine, TimeSpan period, ILogger logger) =>
        _loop = Task.Run(() => LoopAsync(engine, period, logger));

    private async Task LoopAsync(StorageEngine engine, TimeSpan period, ILogger logger)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    var dropped = engine.SweepRetention(Clock.NowMicros());
                    if (dropped.Count > 0)
                    {
                        Swept(logger, dropped.Count);
                    }
                }
                catch (IOException e)
                {
                    SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep dropped {Count} expired shard(s)")]
    private static partial void Swept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed")]
    private static partial void SweepFailed(ILogger logger, Exception exception);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
