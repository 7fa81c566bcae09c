using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Delivery;

namespace UsageSentinel.Webhooks.Tests.Delivery;

public sealed class SecretMaskTests
{
    [Fact]
    public void Apply_TextWithKeysUrlsAndUrlPathsOfAnyReceiver_MasksEachOfThem()
    {
        var url = "https://hooks.slack.com" + AlertingConfig.SlackPath;
        var mask = new SecretMask(
        [
            new ReceiverOptions { Type = ReceiverType.Slack, Url = url },
            new ReceiverOptions { Type = ReceiverType.PagerDuty, RoutingKey = AlertingConfig.RoutingKey },
            new ReceiverOptions { Type = ReceiverType.Webhook, Url = "https://user:SECRETpw@siem.example/x", HmacKey = AlertingConfig.HmacKey },
        ]);

        var masked = mask.Apply($"posting to {url}; path {AlertingConfig.SlackPath}; key {AlertingConfig.RoutingKey}; hmac {AlertingConfig.HmacKey}; login user:SECRETpw.");

        masked.ShouldBe("posting to ***; path ***; key ***; hmac ***; login ***.");
    }

    [Fact]
    public void Apply_NoSecretsConfigured_KeepsTheText()
    {
        var mask = new SecretMask([new ReceiverOptions { Type = ReceiverType.Alertmanager, Url = "http://am:9093/" }]);

        mask.Apply("HTTP 400 (BadRequest): bad alert").ShouldBe("HTTP 400 (BadRequest): bad alert");
    }
}
