using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.Receivers;

public sealed class AlertmanagerFormatTests
{
    private readonly ReceiverOptions _options = new() { Type = ReceiverType.Alertmanager, Url = "http://alertmanager:9093/" };

    [Fact]
    public async Task CreateRequest_OpenAnomaly_PostsOneFiringAlertWithLabelsAndAnnotations()
    {
        var anomaly = AnAnomaly.Open(account: "acct-5", detector: DetectorNames.ResaleProxy, severity: Severity.Medium, score: 64.5);

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(anomaly));
        var alerts = (await Deliveries.BodyAsync(request)).EnumerateArray().ToArray();

        request.RequestUri.ShouldBe(new Uri("http://alertmanager:9093/api/v2/alerts"));
        var alert = alerts.ShouldHaveSingleItem();
        var labels = alert.GetProperty("labels");
        labels.GetProperty("alertname").GetString().ShouldBe("UsageSentinelAnomaly");
        labels.GetProperty("detector").GetString().ShouldBe("resale_proxy");
        labels.GetProperty("severity").GetString().ShouldBe("medium");
        labels.GetProperty("account_id").GetString().ShouldBe("acct-5");
        labels.GetProperty("dedup_key").GetString().ShouldBe(anomaly.DedupKey);
        var annotations = alert.GetProperty("annotations");
        annotations.GetProperty("summary").GetString().ShouldBe(anomaly.Summary);
        annotations.GetProperty("score").GetString().ShouldBe("64.5");
        annotations.GetProperty("description").GetString()!.ShouldContain("Root causes:");
        alert.GetProperty("startsAt").GetString().ShouldBe("2026-03-01T00:00:00Z");
        alert.GetProperty("endsAt").GetString().ShouldBe("2026-03-03T12:00:00Z");
    }

    [Fact]
    public async Task CreateRequest_ResolvedAnomaly_EndsTheAlertAtTheResolveTimeUnderTheIncidentSeverity()
    {
        var incident = AnAnomaly.Open(severity: Severity.Critical);
        var resolved = AnAnomaly.Resolved(incident) with { Severity = Severity.Low };

        var alert = (await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(resolved, previous: Severity.Critical))).EnumerateArray().ShouldHaveSingleItem();

        alert.GetProperty("labels").GetProperty("severity").GetString().ShouldBe("critical");
        alert.GetProperty("startsAt").GetString().ShouldBe("2026-03-01T01:00:00Z");
        alert.GetProperty("endsAt").GetString().ShouldBe("2026-03-01T01:00:00Z");
    }

    [Fact]
    public async Task CreateRequest_SeverityIncrease_AlsoEndsTheAlertUnderTheOldSeverity()
    {
        var incident = AnAnomaly.Open(severity: Severity.Medium);

        var alerts = (await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Updated(incident, Severity.High), previous: Severity.Medium)))
            .EnumerateArray().ToArray();

        alerts.Length.ShouldBe(2);
        alerts[0].GetProperty("labels").GetProperty("severity").GetString().ShouldBe("high");
        alerts[0].GetProperty("endsAt").GetString().ShouldBe("2026-03-03T12:00:00Z");
        alerts[1].GetProperty("labels").GetProperty("severity").GetString().ShouldBe("medium");
        alerts[1].GetProperty("endsAt").GetString().ShouldBe("2026-03-02T12:00:00Z");
    }

    [Fact]
    public async Task CreateRequest_Batch_PostsOneAlertPerDelivery()
    {
        var batch = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open() }.Select(a => Deliveries.Of(a)).ToArray();

        var alerts = (await Deliveries.BodyAsync(CreateSut(), batch)).EnumerateArray().ToArray();

        alerts.Select(a => a.GetProperty("labels").GetProperty("dedup_key").GetString()).ShouldBe(batch.Select(e => e.Content.DedupKey));
    }

    [Fact]
    public async Task CreateRequest_EventTimeInTheFuture_StartsNowSoAlertmanagerAcceptsIt()
    {
        var anomaly = AnAnomaly.Open(at: Deliveries.Now.AddDays(30));

        var alert = (await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(anomaly))).EnumerateArray().ShouldHaveSingleItem();

        alert.GetProperty("startsAt").GetString().ShouldBe("2026-03-02T12:00:00Z");
    }

    private AlertmanagerFormat CreateSut() => new(_options);
}
