using CsCheck;
using Strata.Server.Config;

namespace Strata.Server.Tests.Config;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("5s", 5_000_000_000L)]
    [InlineData("+5s", 5_000_000_000L)]
    [InlineData("-5s", -5_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1h30m15s", 5_415_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("10us", 10_000L)]
    [InlineData("10µs", 10_000L)] // U+00B5 micro sign
    [InlineData("10μs", 10_000L)] // U+03BC Greek mu
    [InlineData("1500ns", 1_500L)]
    [InlineData("1m1m", 120_000_000_000L)]
    [InlineData("2562047h", 2562047L * 3_600_000_000_000)]
    [InlineData("9223372036854775807ns", 9223372036854775807L)]
    public void TryParse_AcceptsGoSyntax(string text, long nanoseconds)
    {
        GoDuration.TryParse(text, out var value).ShouldBeTrue();

        value.Ticks.ShouldBe(nanoseconds / 100);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("5")]
    [InlineData("1h30")]
    [InlineData("5x")]
    [InlineData("1d")]
    [InlineData("1w")]
    [InlineData("5S")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("5 s")]
    [InlineData(" 5s")]
    [InlineData("5s ")]
    [InlineData("1e3s")]
    [InlineData("9223372036854775808ns")]
    [InlineData("2562048h")]
    [InlineData("99999999999999999999h")]
    public void TryParse_RejectsWhatGoRejects(string text) =>
        GoDuration.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void TryParse_HoursMinutesSecondsAddUp() =>
        Gen.Select(Gen.Int[0, 10_000], Gen.Int[0, 10_000], Gen.Int[0, 10_000]).Sample((h, m, s) =>
        {
            GoDuration.TryParse($"{h}h{m}m{s}s", out var value).ShouldBeTrue();
            value.ShouldBe(new TimeSpan(h, m, s));
        });
}
