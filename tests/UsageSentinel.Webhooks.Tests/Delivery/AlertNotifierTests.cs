using UsageSentinel.Core.Ports;

namespace UsageSentinel.Webhooks.Tests.Delivery;

public sealed class AlertNotifierTests : DeliveryTestBase
{
    [Fact]
    public async Task NotifyAsync_NoMatchingRoute_StoresNothing()
    {
        var config = Config().Receiver("pd", "pagerduty", Server.BaseUrl).Route("pd", ("MinSeverity", "critical"));
        await using var harness = await AlertingHarness.StartAsync(config);

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(severity: Severity.High), CancellationToken.None);

        harness.Stats.Unrouted.ShouldBe(1);
        harness.Stats.Accepted.ShouldBe(0);
    }

    [Fact]
    public async Task NotifyAsync_ReceiverDown_ReturnsWithTheAlertDurablyStored()
    {
        await Server.StopAsync();
        var config = Config().Receiver("hook", "webhook", Server.BaseUrl).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config);
        var anomaly = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);

        harness.Stats.Accepted.ShouldBe(1);
        harness.Stats.Pending.ShouldBe(1);
        using var journal = new FileStream(Path.Combine(OutboxDirectory.Path, "outbox.journal"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        new StreamReader(journal).ReadToEnd().ShouldContain(anomaly.AnomalyId);
    }

    [Fact]
    public async Task NotifyAsync_OpenThenResolved_PagesPagerDutyThenResolves()
    {
        var config = Config().Receiver("pd", "pagerduty", Server.BaseUrl).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config);
        var incident = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
        await Server.WaitForRequestsAsync(1);
        await harness.Notifier.NotifyAsync(AnAnomaly.Resolved(incident), CancellationToken.None);
        var requests = await Server.WaitForRequestsAsync(2);

        requests.ShouldAllBe(r => r.Method == "POST" && r.Path == "/v2/enqueue");
        requests[0].Header("Content-Type").ShouldBe("application/json; charset=utf-8");
        requests[0].Json().GetProperty("event_action").GetString().ShouldBe("trigger");
        requests[0].Json().GetProperty("routing_key").GetString().ShouldBe(AlertingConfig.RoutingKey);
        requests[1].Json().GetProperty("event_action").GetString().ShouldBe("resolve");
        requests[1].Json().GetProperty("dedup_key").GetString().ShouldBe(incident.DedupKey);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 2, "two deliveries");
    }

    [Fact]
    public async Task NotifyAsync_UpdateWithSameSeverity_DoesNotPageAgainButAnIncreaseDoes()
    {
        var config = Config().Receiver("pd", "pagerduty", Server.BaseUrl).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config);
        var incident = AnAnomaly.Open(severity: Severity.High);

        await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
        await Server.WaitForRequestsAsync(1);
        await harness.Notifier.NotifyAsync(AnAnomaly.Updated(incident, Severity.High), CancellationToken.None);
        await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
        var escalation = AnAnomaly.Updated(incident, Severity.Critical);
        await harness.Notifier.NotifyAsync(escalation, CancellationToken.None);
        await Server.WaitForRequestsAsync(2);
        await Eventually.TrueAsync(() => harness.Stats.Pending == 0, "an empty outbox");

        harness.Stats.Suppressed.ShouldBe(2);
        var requests = Server.Requests;
        requests.Count.ShouldBe(2);
        requests[1].Json().GetProperty("payload").GetProperty("severity").GetString().ShouldBe("critical");
        requests[1].Json().GetProperty("payload").GetProperty("custom_details").GetProperty("anomaly_id").GetString().ShouldBe(escalation.AnomalyId);
    }

    [Fact]
    public async Task NotifyAsync_RouteWithContinue_DeliversToEachMatchingReceiver()
    {
        var config = Config()
            .Receiver("hook", "webhook", Server.BaseUrl)
            .Receiver("og", "opsgenie", Server.BaseUrl)
            .Route("hook", ("Continue", "true"))
            .Route("og", ("MinSeverity", "critical"));
        await using var harness = await AlertingHarness.StartAsync(config);

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(severity: Severity.Critical), CancellationToken.None);
        var requests = await Server.WaitForRequestsAsync(2);

        requests.Select(r => r.Path).Order(StringComparer.Ordinal).ShouldBe(["/hooks/anomaly", "/v2/alerts"]);
        requests.Single(r => r.Path == "/v2/alerts").Header("Authorization").ShouldBe("GenieKey " + AlertingConfig.ApiKey);
    }

    [Fact]
    public async Task NotifyAsync_OutboxFull_HandsTheAlertToTheSinkWithTheReason()
    {
        await Server.StopAsync();
        var config = Config().Receiver("hook", "webhook", Server.BaseUrl).Route("hook").Set("Alerting:OutboxCapacity", "1");
        await using var harness = await AlertingHarness.StartAsync(config);
        var overflow = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(), CancellationToken.None);
        await harness.Notifier.NotifyAsync(overflow, CancellationToken.None);

        var alert = harness.Sink.Alerts.ShouldHaveSingleItem();
        alert.ReasonCode.ShouldBe(UndeliverableAlert.ReasonOutboxFull);
        alert.ReceiverName.ShouldBe("hook");
        alert.ReceiverType.ShouldBe("webhook");
        alert.AnomalyId.ShouldBe(overflow.AnomalyId);
        alert.DedupKey.ShouldBe(overflow.DedupKey);
        alert.AnomalyJson.ToArray().ShouldBe(AnomalyJson.ToUtf8(overflow));
        harness.Stats.OutboxFull.ShouldBe(1);
        harness.Stats.DeadLettered.ShouldBe(1);
    }

    [Fact]
    public async Task NotifyAsync_Cancelled_Throws()
    {
        var config = Config().Receiver("hook", "webhook", Server.BaseUrl).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config);

        await Should.ThrowAsync<OperationCanceledException>(async () => await harness.Notifier.NotifyAsync(AnAnomaly.Open(), new CancellationToken(canceled: true)));
    }
}
