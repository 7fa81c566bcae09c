using UsageSentinel.Core.Ports;

namespace UsageSentinel.Webhooks.Tests.Delivery;

public sealed class AlertDispatcherServiceTests : DeliveryTestBase
{
    [Fact]
    public async Task Restart_DuringReceiverOutage_DeliversExactlyThePendingAlertsOnceTheReceiverIsBack()
    {
        var config = new AlertingConfig(OutboxDirectory.Path).Receiver("hook", "webhook", Server.BaseUrl, ("BreakDuration", "00:00:00.5")).Route("hook");
        var delivered = AnAnomaly.Open();
        var pending = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Resolved(delivered) };
        await using (var before = await AlertingHarness.StartAsync(config))
        {
            await before.Notifier.NotifyAsync(delivered, CancellationToken.None);
            await Eventually.TrueAsync(() => before.Stats.Delivered == 1, "the delivery before the outage");
            await Server.StopAsync();
            foreach (var anomaly in pending)
            {
                await before.Notifier.NotifyAsync(anomaly, CancellationToken.None);
            }

            await Eventually.TrueAsync(() => before.Stats.FailedAttempts >= 1, "a failed attempt during the outage");
            before.Stats.Pending.ShouldBe(3);
        }

        await using var after = await AlertingHarness.StartAsync(config);
        await Eventually.TrueAsync(() => after.Stats.FailedAttempts >= 1, "a failed attempt after the restart");
        Server.Restart();
        await Eventually.TrueAsync(() => after.Stats.Delivered == 3, "the pending deliveries");

        var ids = Server.Requests.Where(r => r.Status == 200).Select(r => r.Json().GetProperty("anomaly_id").GetString()).ToArray();
        ids.ShouldBe([delivered.AnomalyId, .. pending.Select(a => a.AnomalyId)]);
        after.Stats.Pending.ShouldBe(0);
        Server.Requests[^1].Json().GetProperty("status").GetString().ShouldBe("resolved");
    }

    [Fact]
    public async Task Start_PendingAlertsOfARemovedReceiver_GoToTheSink()
    {
        await Server.StopAsync();
        var anomaly = AnAnomaly.Open();
        var before = new AlertingConfig(OutboxDirectory.Path).Receiver("old", "webhook", Server.BaseUrl).Route("old");
        await using (var harness = await AlertingHarness.StartAsync(before))
        {
            await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        }

        var after = new AlertingConfig(OutboxDirectory.Path).Receiver("new", "webhook", Server.BaseUrl).Route("new");
        await using var restarted = await AlertingHarness.StartAsync(after);
        await Eventually.TrueAsync(() => restarted.Stats.DeadLettered == 1, "the dead letter");

        var alert = restarted.Sink.Alerts[0];
        alert.ReasonCode.ShouldBe(UndeliverableAlert.ReasonReceiverRemoved);
        alert.ReceiverName.ShouldBe("old");
        alert.AnomalyJson.ToArray().ShouldBe(AnomalyJson.ToUtf8(anomaly));
        restarted.Stats.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task Start_NoReceivers_LogsThatAlertingIsOff()
    {
        await using var harness = await AlertingHarness.StartAsync(new AlertingConfig(OutboxDirectory.Path));

        await Eventually.TrueAsync(() => harness.Logs.Lines.Any(l => l.Contains("Alerting has no receivers configured", StringComparison.Ordinal)), "the log line");
        Directory.EnumerateFileSystemEntries(OutboxDirectory.Path).ShouldBeEmpty();
    }
}
