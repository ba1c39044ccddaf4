using Strata.Server.Config;

namespace Strata.Server.Tests.Config;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("100", 100L)]
    [InlineData("512k", 512L * 1024)]
    [InlineData("64m", 64L * 1024 * 1024)]
    [InlineData("64M", 64L * 1024 * 1024)]
    [InlineData("200m", 200L * 1024 * 1024)]
    [InlineData("1g", 1024L * 1024 * 1024)]
    [InlineData("100g", 100L * 1024 * 1024 * 1024)]
    public void TryParse_AcceptsBytesAndBinarySuffixes(string text, long bytes)
    {
        ByteSize.TryParse(text, out var value).ShouldBeTrue();

        value.ShouldBe(bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("64x")]
    [InlineData("64mb")]
    [InlineData("-1")]
    [InlineData("1.5g")]
    [InlineData("99999999999g")]
    [InlineData("99999999999999999999")]
    public void TryParse_RejectsOtherText(string text) =>
        ByteSize.TryParse(text, out _).ShouldBeFalse();
}
