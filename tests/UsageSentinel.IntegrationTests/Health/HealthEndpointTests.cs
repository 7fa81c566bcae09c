using Microsoft.Extensions.Options;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.IntegrationTests.Health;

public sealed class HealthEndpointTests
{
    [Theory]
    [InlineData("0.0.0.0", "http://+:8080/", "http://127.0.0.1:8080/health/live")]
    [InlineData("*", "http://+:8080/", "http://127.0.0.1:8080/health/live")]
    [InlineData("127.0.0.1", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/health/live")]
    [InlineData("localhost", "http://localhost:8080/", "http://localhost:8080/health/live")]
    [InlineData("::1", "http://[::1]:8080/", "http://[::1]:8080/health/live")]
    public void ListenPrefixAndLocalUri_PerAddress_MatchEachOther(string address, string prefix, string probe)
    {
        var options = new HealthOptions { Address = address };

        HealthEndpoint.ListenPrefix(options).ShouldBe(prefix);
        HealthEndpoint.LocalUri(options, HealthConstants.LivePath).ToString().ShouldBe(probe);
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.org")]
    [InlineData("http://0.0.0.0")]
    public void Validate_BadAddress_FailsNamingTheSetting(string address)
    {
        var result = new HealthOptionsValidator().Validate(Options.DefaultName, new HealthOptions { Address = address });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Health:Address");
    }

    [Fact]
    public void Defaults_AreEveryInterfacePort8080AndTwoMinutes()
    {
        var options = new HealthOptions();

        (options.Enabled, options.Address, options.Port, options.LivenessStallTimeout).ShouldBe((true, "0.0.0.0", 8080, TimeSpan.FromMinutes(2)));
    }
}
