using Microsoft.Extensions.Time.Testing;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Servers;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Tests.TestSupport;

namespace UsageSentinel.Webhooks.Tests.Delivery;

public sealed class ReceiverLaneTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Some.Epoch);
    private RecordingHttpReceiver _receiver = null!;

    public Task InitializeAsync()
    {
        _receiver = RecordingHttpReceiver.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Cooldown_UpdatesWithinTheWindow_CollapseIntoTheLatest()
    {
        var config = Config().Receiver("pd", "pagerduty", _receiver.BaseUrl, ("Cooldown", "00:01:00")).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var incident = AnAnomaly.Open(severity: Severity.Low);
        await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the first page");

        await harness.Notifier.NotifyAsync(AnAnomaly.Updated(incident, Severity.Medium), CancellationToken.None);
        var latest = AnAnomaly.Updated(incident, Severity.High);
        await harness.Notifier.NotifyAsync(latest, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.Superseded == 1, "the medium update superseded");
        _receiver.Requests.Count.ShouldBe(1);
        await Eventually.TrueAsync(() => _receiver.Requests.Count == 2, "the page after the cooldown", advance: _time, step: TimeSpan.FromSeconds(5));
        var requests = _receiver.Requests;

        requests[1].Json().GetProperty("payload").GetProperty("severity").GetString().ShouldBe("error");
        requests[1].Json().GetProperty("payload").GetProperty("custom_details").GetProperty("anomaly_id").GetString().ShouldBe(latest.AnomalyId);
        await Eventually.TrueAsync(() => harness.Stats.Pending == 0, "an empty outbox");
        _receiver.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Cooldown_Resolution_IsNotHeldBackAndReplacesTheHeldUpdate()
    {
        var config = Config().Receiver("pd", "pagerduty", _receiver.BaseUrl, ("Cooldown", "00:10:00")).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var incident = AnAnomaly.Open(severity: Severity.Low);
        await harness.Notifier.NotifyAsync(incident, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the first page");

        await harness.Notifier.NotifyAsync(AnAnomaly.Updated(incident, Severity.Medium), CancellationToken.None);
        await harness.Notifier.NotifyAsync(AnAnomaly.Resolved(incident), CancellationToken.None);
        var requests = await _receiver.WaitForRequestsAsync(2);

        requests[1].Json().GetProperty("event_action").GetString().ShouldBe("resolve");
        await Eventually.TrueAsync(() => harness.Stats.Pending == 0, "an empty outbox");
        harness.Stats.Superseded.ShouldBe(1);
        _receiver.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task GroupWindow_SlackAlertsArrivingWithinIt_BecomeOneMessage()
    {
        var config = Config().Receiver("slack", "slack", _receiver.BaseUrl, ("GroupWindow", "00:00:10")).Route("slack");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var anomalies = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open() };

        foreach (var anomaly in anomalies.Take(3))
        {
            await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        await harness.Notifier.NotifyAsync(anomalies[3], CancellationToken.None);
        _receiver.Requests.ShouldBeEmpty();
        await Eventually.TrueAsync(() => _receiver.Requests.Count == 1, "the grouped message", advance: _time, step: TimeSpan.FromSeconds(1));
        var message = _receiver.Requests[0];

        message.Path.ShouldBe(AlertingConfig.SlackPath);
        message.Json().GetProperty("text").GetString().ShouldBe("UsageSentinel: 4 anomalies");
        var sections = message.Json().GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "section").ToArray();
        sections.Length.ShouldBe(4);
        for (var i = 0; i < anomalies.Length; i++)
        {
            sections[i].GetProperty("text").GetProperty("text").GetString()!.ShouldContain(anomalies[i].AccountId);
        }

        await Eventually.TrueAsync(() => harness.Stats.Delivered == 4, "four deliveries");
        _receiver.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task RateLimit_PermitsUsedUp_LaterMessagesWaitAndOrderIsKept()
    {
        var config = Config().Receiver("slack", "slack", _receiver.BaseUrl, ("MaxGroupSize", "1"), ("RateLimitPermits", "2"), ("RateLimitPeriod", "01:00:00")).Route("slack");
        await using var harness = await AlertingHarness.StartAsync(config);
        var anomalies = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open() };

        foreach (var anomaly in anomalies)
        {
            await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => harness.Stats.Delivered == 2 && harness.Stats.RateLimitWaits == 1, "two messages sent, the third waiting");

        _receiver.Requests.Select(r => r.Json().GetProperty("text").GetString()!).ShouldBe(
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
        _receiver.Enqueue(503);
        _receiver.Enqueue(503);
        var config = Config().Receiver("hook", "webhook", _receiver.BaseUrl).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config);
        var anomaly = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        var requests = await _receiver.WaitForRequestsAsync(3);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the delivery");

        requests.Select(r => r.Status).ShouldBe([503, 503, 200]);
        requests.Select(r => r.BodyText).Distinct().ShouldHaveSingleItem().ShouldBe(System.Text.Encoding.UTF8.GetString(AnomalyJson.ToUtf8(anomaly)));
        harness.Stats.FailedAttempts.ShouldBe(2);
        harness.Logs.Lines.ShouldContain(l => l.Contains($"Anomaly {anomaly.AnomalyId} (open) delivered to hook after 3 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_TooManyRequestsWithRetryAfter_WaitsAsToldBeforeRetrying()
    {
        _receiver.Enqueue(429, headers: new Dictionary<string, string> { ["Retry-After"] = "60" });
        var config = Config().Receiver("hook", "webhook", _receiver.BaseUrl, ("RetryDelay", "00:00:00.001"), ("MaxRetryDelay", "00:10:00")).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var start = _time.GetUtcNow();

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(), CancellationToken.None);
        await _receiver.WaitForRequestsAsync(1);
        await Eventually.TrueAsync(() => _receiver.Requests.Count == 2, "the retry", advance: _time, step: TimeSpan.FromSeconds(1));

        (_time.GetUtcNow() - start).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(60));
        _receiver.Requests.Select(r => r.Status).ShouldBe([429, 200]);
    }

    [Fact]
    public async Task Retry_RetryAfterBeyondMaxRetryDelay_WaitsOnlyMaxRetryDelay()
    {
        _receiver.Enqueue(503, headers: new Dictionary<string, string> { ["Retry-After"] = "86400" });
        var config = Config().Receiver("hook", "webhook", _receiver.BaseUrl, ("RetryDelay", "00:00:00.001"), ("MaxRetryDelay", "00:00:30")).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var start = _time.GetUtcNow();

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(), CancellationToken.None);
        await _receiver.WaitForRequestsAsync(1);
        await Eventually.TrueAsync(() => _receiver.Requests.Count == 2, "the retry", advance: _time, step: TimeSpan.FromSeconds(1));

        (_time.GetUtcNow() - start).ShouldBeLessThan(TimeSpan.FromHours(1));
        _receiver.Requests.Select(r => r.Status).ShouldBe([503, 200]);
    }

    [Fact]
    public async Task CircuitBreaker_ReceiverFailing_OpensThenRecoversWhenTheReceiverIsBack()
    {
        _receiver.RespondWith(503);
        var config = Config().Receiver("hook", "webhook", _receiver.BaseUrl, ("RetryCount", "2"), ("BreakDuration", "00:00:00.5")).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config);

        await harness.Notifier.NotifyAsync(AnAnomaly.Open(), CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Stats.CircuitRejections >= 1, "the circuit to open");
        var seenWhileOpen = _receiver.Requests.Count;
        _receiver.RespondWith(200);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 1, "the delivery after recovery");

        seenWhileOpen.ShouldBeGreaterThanOrEqualTo(3);
        _receiver.Requests[^1].Status.ShouldBe(200);
        _receiver.Requests.Count(r => r.Status == 200).ShouldBe(1);
        harness.Stats.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task CircuitBreaker_OneReceiverDown_OthersKeepDelivering()
    {
        await using var healthy = RecordingHttpReceiver.Start();
        _receiver.RespondWith(503);
        var config = Config()
            .Receiver("down", "webhook", _receiver.BaseUrl, ("RetryCount", "2"))
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
        _receiver.RespondWith(400, $$"""{"status":"invalid event","message":"unknown routing key {{AlertingConfig.RoutingKey}}"}""");
        var config = Config().Receiver("pd", "pagerduty", _receiver.BaseUrl).Route("pd");
        await using var harness = await AlertingHarness.StartAsync(config);
        var anomaly = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Sink.Alerts.Count == 1, "the dead letter");

        var alert = harness.Sink.Alerts[0];
        alert.ReasonCode.ShouldBe(UndeliverableAlert.ReasonRejected);
        alert.Reason.ShouldStartWith("HTTP 400 (BadRequest): {\"status\":\"invalid event\"");
        alert.Reason.ShouldContain("unknown routing key ***");
        alert.Reason.ShouldNotContain(AlertingConfig.RoutingKey);
        alert.Attempts.ShouldBe(1);
        alert.ReceiverName.ShouldBe("pd");
        alert.ReceiverType.ShouldBe("pagerduty");
        alert.AnomalyJson.ToArray().ShouldBe(AnomalyJson.ToUtf8(anomaly));
        await Eventually.TrueAsync(() => harness.Stats.Pending == 0, "an empty outbox");
        harness.Stats.DeadLettered.ShouldBe(1);
        _receiver.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task MaxDeliveryAge_ReceiverDownThroughout_GoesToTheSinkAsExpired()
    {
        await _receiver.StopAsync();
        var config = Config().Receiver("hook", "webhook", _receiver.BaseUrl, ("RetryCount", "0"), ("MaxDeliveryAge", "00:01:00")).Route("hook");
        await using var harness = await AlertingHarness.StartAsync(config, _time);
        var anomaly = AnAnomaly.Open();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        await Eventually.TrueAsync(() => harness.Sink.Alerts.Count == 1, "the dead letter", advance: _time, step: TimeSpan.FromSeconds(5));

        var alert = harness.Sink.Alerts[0];
        alert.ReasonCode.ShouldBe(UndeliverableAlert.ReasonExpired);
        alert.AnomalyId.ShouldBe(anomaly.AnomalyId);
        alert.Reason.ShouldStartWith("Not delivered within the maximum delivery age of 00:01:00; last error: ");
        harness.Stats.FailedAttempts.ShouldBeGreaterThanOrEqualTo(1);
        alert.Attempts.ShouldBeGreaterThanOrEqualTo(1);
        (_time.GetUtcNow() - Some.Epoch).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(1));
        harness.Stats.Pending.ShouldBe(0);
    }

    private AlertingConfig Config() => new(_directory.Path);
}
