using Microsoft.Extensions.Time.Testing;
using UsageSentinel.Core.Ports;
using UsageSentinel.TestKit.Servers;
using UsageSentinel.Webhooks.Configuration;

namespace UsageSentinel.Webhooks.Tests.Delivery;

public sealed class ReceiverLaneTests : DeliveryTestBase
{
    private readonly FakeTimeProvider _time = new(Some.Epoch);

    [Fact]
    public async Task Cooldown_UpdatesWithinTheWindow_CollapseIntoTheLatest()
    {
        var config = Config().Receiver("pd", "pagerduty", Server.BaseUrl, ("Cooldown", "00:01:00")).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var incident = AnAnomaly.Open(severity: Severity.Low);
        await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the first page");

        await harness.Notifier.NotifyAsync(AnAnomaly.Updated(incident, Severity.Medium), CancellationToken.None);
        var latest = AnAnomaly.Updated(incident, Severity.High);
        await harness.Notifier.NotifyAsync(latest, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.Superseded == 1, "the medium update superseded");
        Server.Requests.Count.ShouldBe(1);
        await Eventually.TrueAsync(() => Server.Requests.Count == 2, "the page after the cooldown", advance: _time, step: TimeSpan.FromSeconds(5));
        var requests = Server.Requests;

        requests[1].Json().GetProperty("payload").GetProperty("severity").GetString().ShouldBe("error");
        requests[1].Json().GetProperty("payload").GetProperty("custom_details").GetProperty("anomaly_id").GetString().ShouldBe(latest.AnomalyId);
        await Eventually.TrueAsync(() => harness.Stats.Pending == 0, "an empty outbox");
        Server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Cooldown_Resolution_IsNotHeldBackAndReplacesTheHeldUpdate()
    {
        var config = Config().Receiver("pd", "pagerduty", Server.BaseUrl, ("Cooldown", "00:10:00")).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var incident = AnAnomaly.Open(severity: Severity.Low);
        await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the first page");

        await harness.Notifier.NotifyAsync(AnAnomaly.Updated(incident, Severity.Medium), CancellationToken.None);
        await harness.Notifier.NotifyAsync(AnAnomaly.Resolved(incident), CancellationToken.None);
        var requests = await Server.WaitForRequestsAsync(2);

        requests[1].Json().GetProperty("event_action").GetString().ShouldBe("resolve");
        await Eventually.TrueAsync(() => harness.Stats.Pending == 0, "an empty outbox");
        harness.Stats.Superseded.ShouldBe(1);
        Server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task GroupWindow_SlackAlertsArrivingWithinIt_BecomeOneMessage()
    {
        var config = Config().Receiver("slack", "slack", Server.BaseUrl, ("GroupWindow", "00:00:10")).Route("slack");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var anomalies = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open() };

        foreach (var anomaly in anomalies.Take(3))
        {
            await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        await harness.Notifier.NotifyAsync(anomalies[3], CancellationToken.None);
        Server.Requests.ShouldBeEmpty();
        await Eventually.TrueAsync(() => Server.Requests.Count == 1, "the grouped message", advance: _time, step: TimeSpan.FromSeconds(1));
        var message = Server.Requests[0];

        message.Path.ShouldBe(AlertingConfig.SlackPath);
        message.Json().GetProperty("text").GetString().ShouldBe("UsageSentinel: 4 anomalies");
        var sections = message.Json().GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "section").ToArray();
        sections.Length.ShouldBe(4);
        for (var i = 0; i < anomalies.Length; i++)
        {
            sections[i].GetProperty("text").GetProperty("text").GetString()!.ShouldContain(anomalies[i].AccountId);
        }

        await Eventually.TrueAsync(() => harness.Stats.Delivered == 4, "four deliveries");
        Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task RateLimit_PermitsUsedUp_LaterMessagesWaitAndOrderIsKept()
    {
        var config = Config().Receiver("slack", "slack", Server.BaseUrl, ("MaxGroupSize", "1"), ("RateLimitPermits", "2"), ("RateLimitPeriod", "01:00:00")).Route("slack");
        await using var harness = await AlertingHarness.StartAsync(config);
        var anomalies = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open() };

        foreach (var anomaly in anomalies)
        {
            await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => harness.Stats.Delivered == 2 && harness.Stats.RateLimitWaits == 1, "two messages sent, the third waiting");

        Server.Requests.Select(r => r.Json().GetProperty("text").GetString()!).ShouldBe(
            anomalies.Take(2).Select(a => $"[HIGH] training_scale on {a.AccountId}: {a.Summary}"));
        harness.Stats.Pending.ShouldBe(1);
    }

    [Fact]
    public void RateLimit_Slack_DefaultsToOneMessagePerSecond()
    {
        var slack = new ReceiverOptions { Type = ReceiverType.Slack };
        var pagerDuty = new ReceiverOptions { Type = ReceiverType.PagerDuty };

        slack.EffectiveRateLimitPermits.ShouldBe(1);
        slack.RateLimitPeriod.ShouldBe(TimeSpan.FromSeconds(1));
        pagerDuty.EffectiveRateLimitPermits.ShouldBe(0);
        new ReceiverOptions { Type = ReceiverType.Slack, RateLimitPermits = 0 }.EffectiveRateLimitPermits.ShouldBe(0);
    }

    [Fact]
    public async Task Retry_TwoServiceUnavailable_DeliversOnTheThirdAttempt()
    {
        Server.Enqueue(503);
        Server.Enqueue(503);
        var config = Config().Receiver("hook", "webhook", Server.BaseUrl).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config);
        var anomaly = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        var requests = await Server.WaitForRequestsAsync(3);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the delivery");
        var delivered = $"Anomaly {anomaly.AnomalyId} (open) delivered to hook after 3 attempts";
        await Eventually.TrueAsync(() => harness.Logs.Lines.Any(l => l.Contains(delivered, StringComparison.Ordinal)), "the log line");

        requests.Select(r => r.Status).ShouldBe([503, 503, 200]);
        requests.Select(r => r.BodyText).Distinct().ShouldHaveSingleItem().ShouldBe(System.Text.Encoding.UTF8.GetString(AnomalyJson.ToUtf8(anomaly)));
        harness.Stats.FailedAttempts.ShouldBe(2);
    }

    [Theory]
    [InlineData(429, "60", "00:10:00", 60)]
    [InlineData(503, "86400", "00:00:30", 30)]
    public async Task Retry_RetryAfter_WaitsAsToldButNoLongerThanMaxRetryDelay(int status, string retryAfter, string maxRetryDelay, int expectedSeconds)
    {
        Server.Enqueue(status, headers: new Dictionary<string, string> { ["Retry-After"] = retryAfter });
        var config = Config().Receiver("hook", "webhook", Server.BaseUrl, ("RetryDelay", "00:00:00.001"), ("MaxRetryDelay", maxRetryDelay)).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var start = _time.GetUtcNow();

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(), CancellationToken.None);
        await Server.WaitForRequestsAsync(1);
        await Eventually.TrueAsync(() => Server.Requests.Count == 2, "the retry", advance: _time, step: TimeSpan.FromSeconds(1));

        var waited = _time.GetUtcNow() - start;
        waited.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(expectedSeconds));
        waited.ShouldBeLessThan(TimeSpan.FromHours(1));
        Server.Requests.Select(r => r.Status).ShouldBe([status, 200]);
    }

    [Fact]
    public async Task CircuitBreaker_ReceiverFailing_OpensThenRecoversWhenTheReceiverIsBack()
    {
        Server.RespondWith(503);
        var config = Config().Receiver("hook", "webhook", Server.BaseUrl, ("RetryCount", "2"), ("BreakDuration", "00:00:00.5")).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config);

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(), CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.CircuitRejections >= 1, "the circuit to open");
        var seenWhileOpen = Server.Requests.Count;
        Server.RespondWith(200);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the delivery after recovery");

        seenWhileOpen.ShouldBeGreaterThanOrEqualTo(3);
        Server.Requests[^1].Status.ShouldBe(200);
        Server.Requests.Count(r => r.Status == 200).ShouldBe(1);
        harness.Stats.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task CircuitBreaker_OneReceiverDown_OthersKeepDelivering()
    {
        await using var healthy = RecordingHttpReceiver.Start();
        Server.RespondWith(503);
        var config = Config()
            .Receiver("down", "webhook", Server.BaseUrl, ("RetryCount", "2"))
            .Receiver("up", "webhook", healthy.BaseUrl)
            .Route("down", ("Detectors:0", DetectorNames.TrainingScale))
            .Route("up");
        await using var harness = await AlertingHarness.StartAsync(config);

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(detector: DetectorNames.TrainingScale), CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.CircuitRejections >= 1, "the circuit of the failing receiver to open");
        var other = AnAnomaly.Open(detector: DetectorNames.ResaleProxy);
        await harness.Notifier.NotifyAsync(other, CancellationToken.None);
        var requests = await healthy.WaitForRequestsAsync(1);

        requests[0].Json().GetProperty("anomaly_id").GetString().ShouldBe(other.AnomalyId);
        requests[0].Status.ShouldBe(200);
    }

    [Fact]
    public async Task PermanentFailure_BadRequest_GoesToTheSinkWithTheReasonAndLeavesTheOutbox()
    {
        Server.RespondWith(400, $$"""{"status":"invalid event","message":"unknown routing key {{AlertingConfig.RoutingKey}}"}""");
        var config = Config().Receiver("pd", "pagerduty", Server.BaseUrl).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config);
        var anomaly = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.DeadLettered == 1, "the dead letter");

        var alert = harness.Sink.Alerts.ShouldHaveSingleItem();
        alert.ReasonCode.ShouldBe(UndeliverableAlert.ReasonRejected);
        alert.Reason.ShouldStartWith("HTTP 400 (BadRequest): {\"status\":\"invalid event\"");
        alert.Reason.ShouldContain("unknown routing key ***");
        alert.Reason.ShouldNotContain(AlertingConfig.RoutingKey);
        alert.Attempts.ShouldBe(1);
        alert.ReceiverName.ShouldBe("pd");
        alert.ReceiverType.ShouldBe("pagerduty");
        alert.AnomalyJson.ToArray().ShouldBe(AnomalyJson.ToUtf8(anomaly));
        harness.Stats.Pending.ShouldBe(0);
        Server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task MaxDeliveryAge_ReceiverDownThroughout_GoesToTheSinkAsExpired()
    {
        await Server.StopAsync();
        var config = Config().Receiver("hook", "webhook", Server.BaseUrl, ("RetryCount", "0"), ("MaxDeliveryAge", "00:01:00")).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var anomaly = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.DeadLettered == 1, "the dead letter", advance: _time, step: TimeSpan.FromSeconds(5));

        var alert = harness.Sink.Alerts.ShouldHaveSingleItem();
        alert.ReasonCode.ShouldBe(UndeliverableAlert.ReasonExpired);
        alert.AnomalyId.ShouldBe(anomaly.AnomalyId);
        alert.Reason.ShouldStartWith("Not delivered within the maximum delivery age of 00:01:00; last error: ");
        harness.Stats.FailedAttempts.ShouldBeGreaterThanOrEqualTo(1);
        alert.Attempts.ShouldBeGreaterThanOrEqualTo(1);
        (_time.GetUtcNow() - Some.Epoch).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(1));
        harness.Stats.Pending.ShouldBe(0);
    }
}
