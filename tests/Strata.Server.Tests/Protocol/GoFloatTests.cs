using System.Globalization;
using CsCheck;
using Strata.Server.Protocol;

namespace Strata.Server.Tests.Protocol;

/// <summary>Go 1.3's float formatting (strconv 'g', shortest): the reference's examples, and every double round-trips.</summary>
public class GoFloatTests
{
    [Theory]
    [InlineData(3.0, "3")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(1234567.5, "1.2345675e+06")]
    [InlineData(123456.0, "123456")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(0.000123, "0.000123")]
    [InlineData(12.34, "12.34")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e-300, "1.5e-300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(-123456789.125, "-1.23456789125e+08")]
    public void Format_WritesGoShortestForm(double value, string expected)
    {
        GoFloat.Format(value).ShouldBe(expected);
        Span<char> buffer = stackalloc char[GoFloat.MaxLength];
        new string(buffer[..GoFloat.Write(value, buffer)]).ShouldBe(expected);
    }

    [Fact]
    public void Format_RoundTripsAndUsesTheExponentFormExactlyOutsideGosRange() =>
        Gen.Double.Where(double.IsFinite).Sample(value =>
        {
            var text = GoFloat.Format(value);
            double.Parse(text, CultureInfo.InvariantCulture).ShouldBe(value);
            if (value != 0)
            {
                // The shortest digits round-trip, so they fall on the same side of 1e-4 and 1e6 as the value.
                text.Contains('e').ShouldBe(Math.Abs(value) < 0.0001 || Math.Abs(value) >= 1e6, text);
            }
        }, iter: 20_000);
}
