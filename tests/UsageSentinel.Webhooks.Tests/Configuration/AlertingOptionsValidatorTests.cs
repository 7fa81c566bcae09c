using Microsoft.Extensions.Options;
using UsageSentinel.Webhooks.Configuration;

namespace UsageSentinel.Webhooks.Tests.Configuration;

public sealed class AlertingOptionsValidatorTests
{
    private readonly AlertingOptions _options = new();

    [Fact]
    public void Validate_Defaults_Succeeds() => Validate().Succeeded.ShouldBeTrue();

    [Fact]
    public void Validate_OneReceiverOfEachTypeAndARoute_Succeeds()
    {
        _options.Receivers["pd"] = new ReceiverOptions { Type = ReceiverType.PagerDuty, RoutingKey = AlertingConfig.RoutingKey };
        _options.Receivers["og"] = new ReceiverOptions { Type = ReceiverType.Opsgenie, ApiKey = AlertingConfig.ApiKey };
        _options.Receivers["slack"] = new ReceiverOptions { Type = ReceiverType.Slack, Url = "https://hooks.slack.com" + AlertingConfig.SlackPath };
        _options.Receivers["am"] = new ReceiverOptions { Type = ReceiverType.Alertmanager, Url = "http://alertmanager:9093" };
        _options.Receivers["hook"] = new ReceiverOptions { Type = ReceiverType.Webhook, Url = "https://siem.example/hook", HmacKey = AlertingConfig.HmacKey };
        _options.Routes = [new RouteOptions { Receivers = ["pd", "OG", "slack", "am", "hook"], Detectors = ["training_scale"] }];

        var result = Validate();

        result.Failures.ShouldBeNull();
        result.Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData(ReceiverType.PagerDuty, "Alerting:Receivers:oncall:RoutingKey is required for type pagerduty.")]
    [InlineData(ReceiverType.Opsgenie, "Alerting:Receivers:oncall:ApiKey is required for type opsgenie.")]
    [InlineData(ReceiverType.Slack, "Alerting:Receivers:oncall:Url is required for type slack.")]
    [InlineData(ReceiverType.Alertmanager, "Alerting:Receivers:oncall:Url is required for type alertmanager.")]
    [InlineData(ReceiverType.Webhook, "Alerting:Receivers:oncall:HmacKey is required for type webhook.")]
    public void Validate_MissingSecretOrUrl_NamesTheSetting(ReceiverType type, string message)
    {
        _options.Receivers["oncall"] = new ReceiverOptions { Type = type };

        Validate().Failures!.ShouldContain(message);
    }

    [Fact]
    public void Validate_MissingType_NamesTheSetting()
    {
        _options.Receivers["oncall"] = new ReceiverOptions { RoutingKey = AlertingConfig.RoutingKey };

        Validate().FailureMessage!.ShouldContain("Alerting:Receivers:oncall:Type is required");
    }

    [Fact]
    public void Validate_ShortHmacKey_SaysHowLongWithoutShowingIt()
    {
        _options.Receivers["hook"] = new ReceiverOptions { Type = ReceiverType.Webhook, Url = "https://siem.example/hook", HmacKey = "SECRETshort" };

        var message = Validate().FailureMessage!;

        message.ShouldContain("Alerting:Receivers:hook:HmacKey must be at least 16 characters.");
        message.ShouldNotContain("SECRETshort");
    }

    [Fact]
    public void Validate_RelativeSlackUrl_NamesTheSettingWithoutShowingTheUrl()
    {
        _options.Receivers["slack"] = new ReceiverOptions { Type = ReceiverType.Slack, Url = AlertingConfig.SlackPath };

        var message = Validate().FailureMessage!;

        message.ShouldContain("Alerting:Receivers:slack:Url must be an absolute http or https URL.");
        message.ShouldNotContain("SECRET");
    }

    [Fact]
    public void Validate_DurationOutOfRange_NamesTheSetting()
    {
        _options.Receivers["pd"] = new ReceiverOptions { Type = ReceiverType.PagerDuty, RoutingKey = AlertingConfig.RoutingKey, Timeout = TimeSpan.FromHours(1) };

        Validate().FailureMessage!.ShouldContain("Alerting:Receivers:pd:Timeout:");
    }

    [Fact]
    public void Validate_CooldownNotShorterThanMaxDeliveryAge_NamesBothSettings()
    {
        _options.Receivers["pd"] = new ReceiverOptions
        {
            Type = ReceiverType.PagerDuty,
            RoutingKey = AlertingConfig.RoutingKey,
            Cooldown = TimeSpan.FromHours(2),
            MaxDeliveryAge = TimeSpan.FromHours(1),
        };

        Validate().Failures!.ShouldContain("Alerting:Receivers:pd:MaxDeliveryAge must be longer than Alerting:Receivers:pd:Cooldown.");
    }

    [Fact]
    public void Validate_RouteToUnknownReceiver_NamesTheRoute()
    {
        _options.Routes = [new RouteOptions { Receivers = ["nobody"] }];

        Validate().Failures!.ShouldContain("Alerting:Routes:0:Receivers names 'nobody', which is not in Alerting:Receivers.");
    }

    [Fact]
    public void Validate_RouteWithoutReceivers_NamesTheRoute()
    {
        _options.Routes = [new RouteOptions()];

        Validate().Failures!.ShouldContain("Alerting:Routes:0:Receivers needs at least one receiver.");
    }

    [Fact]
    public void Validate_MisspelledDetector_NamesTheRouteAndTheDetectors()
    {
        _options.Receivers["am"] = new ReceiverOptions { Type = ReceiverType.Alertmanager, Url = "http://am:9093" };
        _options.Routes = [new RouteOptions { Receivers = ["am"], Detectors = ["trainig_scale"] }];

        var message = Validate().FailureMessage!;

        message.ShouldContain("Alerting:Routes:0:Detectors names 'trainig_scale', which is not a detector");
        message.ShouldContain("training_scale");
    }

    [Fact]
    public void Validate_ScoreOutOfRange_NamesTheSetting()
    {
        _options.Receivers["am"] = new ReceiverOptions { Type = ReceiverType.Alertmanager, Url = "http://am:9093" };
        _options.Routes = [new RouteOptions { Receivers = ["am"], MinScore = 150 }];

        Validate().FailureMessage!.ShouldContain("Alerting:Routes:0:MinScore:");
    }

    [Fact]
    public void Validate_EmptyOutboxPath_NamesTheSetting()
    {
        _options.OutboxPath = " ";

        Validate().Failures!.ShouldContain("Alerting:OutboxPath is required.");
    }

    [Fact]
    public void Validate_ManyMistakesWithSecretsSet_NoMessageContainsASecret()
    {
        _options.Receivers["pd"] = new ReceiverOptions { Type = ReceiverType.PagerDuty, RoutingKey = AlertingConfig.RoutingKey, Url = "not a url SECRET" };
        _options.Receivers["og"] = new ReceiverOptions { Type = ReceiverType.Opsgenie, ApiKey = AlertingConfig.ApiKey, Cooldown = TimeSpan.FromDays(3) };
        _options.Receivers["hook"] = new ReceiverOptions { Type = ReceiverType.Webhook, HmacKey = AlertingConfig.HmacKey, Url = "ftp://SECRET" };
        _options.Receivers["slack"] = new ReceiverOptions { Type = ReceiverType.Slack, Url = "hooks.slack.com" + AlertingConfig.SlackPath };

        var failures = Validate().Failures!.ToArray();

        failures.Length.ShouldBeGreaterThanOrEqualTo(4);
        foreach (var secret in AlertingConfig.Secrets)
        {
            failures.ShouldAllBe(f => !f.Contains(secret, StringComparison.Ordinal));
        }
    }

    private ValidateOptionsResult Validate() => new AlertingOptionsValidator().Validate(null, _options);
}
