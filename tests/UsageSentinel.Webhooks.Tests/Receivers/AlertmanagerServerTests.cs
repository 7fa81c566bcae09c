using System.Globalization;
using System.Text.Json;

namespace UsageSentinel.Webhooks.Tests.Receivers;

/// <summary>The Alertmanager path against a real <c>prometheus-alertmanager</c>, read back through its API.</summary>
[Collection(AlertmanagerCollection.Name)]
public sealed class AlertmanagerServerTests(AlertmanagerFixture alertmanager) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly HttpClient _api = new() { BaseAddress = alertmanager.BaseUrl };

    [Fact]
    public async Task NotifyAsync_OpenAnomaly_IsActiveInAlertmanagerWithLabelsAndAnnotations()
    {
        var anomaly = AnAnomaly.Open(detector: DetectorNames.ResaleProxy, severity: Severity.High, score: 88.5, summary: "Resale through 14 principals.");
        await using var harness = await StartAsync();

        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        var alert = (await WaitForAlertsAsync(anomaly.DedupKey, alerts => alerts.Length == 1)).Single();

        var labels = alert.GetProperty("labels");
        labels.GetProperty("alertname").GetString().ShouldBe("UsageSentinelAnomaly");
        labels.GetProperty("detector").GetString().ShouldBe("resale_proxy");
        labels.GetProperty("severity").GetString().ShouldBe("high");
        labels.GetProperty("account_id").GetString().ShouldBe(anomaly.AccountId);
        labels.GetProperty("dedup_key").GetString().ShouldBe(anomaly.DedupKey);
        var annotations = alert.GetProperty("annotations");
        annotations.GetProperty("summary").GetString().ShouldBe("Resale through 14 principals.");
        annotations.GetProperty("score").GetString().ShouldBe("88.5");
        annotations.GetProperty("anomaly_id").GetString().ShouldBe(anomaly.AnomalyId);
        annotations.GetProperty("description").GetString()!.ShouldContain("estimated_training_flop");
        alert.GetProperty("status").GetProperty("state").GetString().ShouldBe("active");
        DateTimeOffset.Parse(alert.GetProperty("startsAt").GetString()!, CultureInfo.InvariantCulture).ShouldBe(anomaly.EventTime);
        DateTimeOffset.Parse(alert.GetProperty("endsAt").GetString()!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task NotifyAsync_ResolvedAnomaly_EndsTheAlert()
    {
        var anomaly = AnAnomaly.Open(at: DateTimeOffset.UtcNow.AddHours(-2));
        await using var harness = await StartAsync();
        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        await WaitForAlertsAsync(anomaly.DedupKey, alerts => alerts.Length == 1);
        var resolvedBefore = await ResolvedReceivedAsync();

        await harness.Notifier.NotifyAsync(AnAnomaly.Resolved(anomaly), CancellationToken.None);
        await WaitForAlertsAsync(anomaly.DedupKey, alerts => alerts.Length == 0);

        (await ResolvedReceivedAsync()).ShouldBeGreaterThan(resolvedBefore);
        await Eventually.TrueAsync(() => harness.Stats.Delivered == 2, "both deliveries counted");
    }

    [Fact]
    public async Task NotifyAsync_SeverityIncrease_LeavesOnlyTheNewSeverityActive()
    {
        var anomaly = AnAnomaly.Open(severity: Severity.Medium);
        await using var harness = await StartAsync();
        await harness.Notifier.NotifyAsync(anomaly, CancellationToken.None);
        await WaitForAlertsAsync(anomaly.DedupKey, alerts => alerts.Length == 1);

        await harness.Notifier.NotifyAsync(AnAnomaly.Updated(anomaly, Severity.Critical), CancellationToken.None);
        var alerts = await WaitForAlertsAsync(anomaly.DedupKey, alerts => alerts.Length == 1 && SeverityLabel(alerts[0]) == "critical");

        alerts.ShouldHaveSingleItem();
    }

    public void Dispose()
    {
        _api.Dispose();
        _directory.Dispose();
    }

    private static string? SeverityLabel(JsonElement alert) => alert.GetProperty("labels").GetProperty("severity").GetString();

    private Task<AlertingHarness> StartAsync() =>
        AlertingHarness.StartAsync(new AlertingConfig(_directory.Path).Receiver("am", "alertmanager", alertmanager.BaseUrl).Route("am"));

    private async Task<JsonElement[]> WaitForAlertsAsync(string dedupKey, Func<JsonElement[], bool> condition)
    {
        var filter = Uri.EscapeDataString($"dedup_key=\"{dedupKey}\"");
        JsonElement[] alerts = [];
        await Eventually.TrueAsync(
            async () =>
            {
                using var document = JsonDocument.Parse(await _api.GetStringAsync(new Uri($"api/v2/alerts?filter={filter}", UriKind.Relative)));
                alerts = document.RootElement.EnumerateArray().Select(a => a.Clone()).ToArray();
                return condition(alerts);
            },
            $"Alertmanager's alerts for {dedupKey}");
        return alerts;
    }

    private async Task<double> ResolvedReceivedAsync()
    {
        var metrics = await _api.GetStringAsync(new Uri("metrics", UriKind.Relative));
        return metrics.Split('\n')
            .Where(l => l.StartsWith("alertmanager_alerts_received_total{", StringComparison.Ordinal) && l.Contains("status=\"resolved\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
