using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Ports;
using UsageSentinel.Influx.Configuration;
using UsageSentinel.Influx.Tests.Support;

namespace UsageSentinel.Influx.Tests.Configuration;

public sealed class InfluxOptionsValidatorTests
{
    private const string Secret = "s3cr3t-Do-Not-Print";

    private static Dictionary<string, string?> V2() => new()
    {
        ["Metrics:Mode"] = "V2",
        ["Metrics:Url"] = "http://influxdb:8086",
        ["Metrics:Org"] = "org",
        ["Metrics:Bucket"] = "bucket",
        ["Metrics:Token"] = Secret,
    };

    private static async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        await using var host = MetricsHost.Create(settings);
        var ex = await Should.ThrowAsync<OptionsValidationException>(host.StartAsync);
        var message = string.Join('\n', ex.Failures);
        message.ShouldNotContain(Secret);
        return message;
    }

    [Fact]
    public async Task Start_V2WithoutOrgBucketOrToken_NamesEachSetting()
    {
        var message = await StartFailureAsync(new() { ["Metrics:Mode"] = "V2", ["Metrics:Url"] = "http://influxdb:8086" });

        message.ShouldContain("Metrics:Org is required when Metrics:Mode is V2");
        message.ShouldContain("Metrics:Bucket is required");
        message.ShouldContain("Metrics:Token is required");
    }

    [Fact]
    public async Task Start_V1WithoutDatabaseOrWithUserButNoPassword_NamesTheSettings()
    {
        var message = await StartFailureAsync(new()
        {
            ["Metrics:Mode"] = "V1",
            ["Metrics:Url"] = "http://influxdb:8086",
            ["Metrics:Username"] = "writer",
        });

        message.ShouldContain("Metrics:Database is required when Metrics:Mode is V1");
        message.ShouldContain("Metrics:Username and Metrics:Password must be set together");
    }

    [Theory]
    [InlineData("influxdb:8086")]
    [InlineData("ftp://influxdb")]
    [InlineData("")]
    public async Task Start_UrlNotHttp_NamesUrl(string url)
    {
        var settings = V2();
        settings["Metrics:Url"] = url;

        (await StartFailureAsync(settings)).ShouldContain("Metrics:Url must be an absolute http or https URL");
    }

    [Fact]
    public async Task Start_UrlWithCredentials_RefusedWithoutPrintingThem()
    {
        var settings = V2();
        settings["Metrics:Url"] = $"http://admin:{Secret}@influxdb:8086";

        (await StartFailureAsync(settings)).ShouldContain("Metrics:Url must not contain credentials");
    }

    [Theory]
    [InlineData("Metrics:BatchSize", "0", "Metrics:BatchSize must be between 1 and 100000")]
    [InlineData("Metrics:BufferCapacity", "-5", "Metrics:BufferCapacity must be between 1 and 10000000")]
    [InlineData("Metrics:FlushInterval", "00:00:00", "Metrics:FlushInterval must be between")]
    [InlineData("Metrics:RetryMaxDelay", "00:00:00.015", "Metrics:RetryMaxDelay must not be shorter than Metrics:RetryInitialDelay")]
    public async Task Start_OutOfRange_NamesTheSetting(string key, string value, string expected)
    {
        var settings = V2();
        settings[key] = value;

        (await StartFailureAsync(settings)).ShouldContain(expected);
    }

    [Fact]
    public async Task Start_UnknownMode_NamesModeSetting()
    {
        await using var host = MetricsHost.Create(new() { ["Metrics:Mode"] = "V3" });

        var ex = await Should.ThrowAsync<InvalidOperationException>(host.StartAsync);

        ex.Message.ShouldContain("Metrics:Mode");
    }

    [Fact]
    public async Task Start_Disabled_IgnoresOtherSettingsAndWritesNothing()
    {
        await using var host = await MetricsHost.StartAsync(new() { ["Metrics:Mode"] = "Disabled", ["Metrics:Url"] = "not a url" });

        host.Writer.ShouldBeSameAs(NullMetricsWriter.Instance);
        host.Writer.WriteAnomaly(Samples.Anomaly("acct-1"));
        host.Stats.Buffered.ShouldBe(0);
    }

    [Fact]
    public void Bind_Defaults_AreDocumentedValues()
    {
        var options = new InfluxOptions();

        options.Mode.ShouldBe(MetricsMode.Disabled);
        options.BatchSize.ShouldBe(1_000);
        options.FlushInterval.ShouldBe(TimeSpan.FromSeconds(5));
        options.BufferCapacity.ShouldBe(100_000);
        options.Timeout.ShouldBe(TimeSpan.FromSeconds(10));
        options.EffectiveWorkerTag.ShouldBe(Environment.MachineName);
    }

    [Fact]
    public async Task Bind_FromSettings_ReadsEveryKey()
    {
        var settings = V2();
        settings["Metrics:BatchSize"] = "250";
        settings["Metrics:WorkerTag"] = "worker-7";
        await using var host = MetricsHost.Create(settings);

        var options = host.Services.GetRequiredService<IOptions<InfluxOptions>>().Value;

        options.Mode.ShouldBe(MetricsMode.V2);
        options.Token.ShouldBe(Secret);
        options.BatchSize.ShouldBe(250);
        options.EffectiveWorkerTag.ShouldBe("worker-7");
    }
}
