using Strata.Server.Logging;

namespace Strata.Server.Tests.Logging;

public sealed class LogRateLimiterTests
{
    [Fact]
    public void RateLimiter_LetsOneMessagePerKeyAndIntervalThroughAndCountsTheRest()
    {
        var now = 0L;
        var limiter = new LogRateLimiter(TimeSpan.FromSeconds(60), () => now);

        limiter.TryAcquire("a", out var suppressed).ShouldBeTrue();
        suppressed.ShouldBe(0);
        limiter.TryAcquire("a", out _).ShouldBeFalse();
        limiter.TryAcquire("a", out _).ShouldBeFalse();
        limiter.TryAcquire("b", out _).ShouldBeTrue();

        now = 59_999;
        limiter.TryAcquire("a", out _).ShouldBeFalse();
        now = 60_000;
        limiter.TryAcquire("a", out suppressed).ShouldBeTrue();
        suppressed.ShouldBe(3);
        now = 200_000;
        limiter.TryAcquire("a", out suppressed).ShouldBeTrue();
        suppressed.ShouldBe(0);
    }
}
