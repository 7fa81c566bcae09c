using System.Text.Json;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.Receivers;

public sealed class PagerDutyFormatTests
{
    private readonly ReceiverOptions _options = new() { Type = ReceiverType.PagerDuty, RoutingKey = "rk-0123456789" };

    [Fact]
    public async Task CreateRequest_OpenAnomaly_TriggersWithEveryField()
    {
        var anomaly = AnAnomaly.Open(account: "acct-7", severity: Severity.High, summary: "Trains at 2.1e24 FLOP.");

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(anomaly));
        var body = await Deliveries.BodyAsync(request);

        request.Method.ShouldBe(HttpMethod.Post);
        request.RequestUri.ShouldBe(new Uri("https://events.pagerduty.com/v2/enqueue"));
        body.GetProperty("routing_key").GetString().ShouldBe("rk-0123456789");
        body.GetProperty("event_action").GetString().ShouldBe("trigger");
        body.GetProperty("dedup_key").GetString().ShouldBe(anomaly.DedupKey);
        var payload = body.GetProperty("payload");
        payload.GetProperty("summary").GetString().ShouldBe("[HIGH] training_scale on acct-7: Trains at 2.1e24 FLOP.");
        payload.GetProperty("source").GetString().ShouldBe("usage-sentinel");
        payload.GetProperty("severity").GetString().ShouldBe("error");
        payload.GetProperty("timestamp").GetString().ShouldBe("2026-03-01T00:00:00Z");
        payload.GetProperty("component").GetString().ShouldBe("training_scale");
        payload.GetProperty("group").GetString().ShouldBe("acct-7");
        payload.GetProperty("custom_details").GetRawText().ShouldBe(System.Text.Encoding.UTF8.GetString(AnomalyJson.ToUtf8(anomaly)));
    }

    [Theory]
    [InlineData(Severity.Critical, "critical")]
    [InlineData(Severity.High, "error")]
    [InlineData(Severity.Medium, "warning")]
    [InlineData(Severity.Low, "info")]
    public async Task CreateRequest_Severity_MapsToPagerDutySeverity(Severity severity, string expected)
    {
        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Open(severity: severity)));

        body.GetProperty("payload").GetProperty("severity").GetString().ShouldBe(expected);
    }

    [Fact]
    public async Task CreateRequest_LongSummary_TruncatesTo1024Characters()
    {
        var anomaly = AnAnomaly.Open(summary: new string('x', 5_000));

        var summary = (await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(anomaly))).GetProperty("payload").GetProperty("summary").GetString()!;

        summary.Length.ShouldBe(1024);
        summary.ShouldStartWith("[HIGH] training_scale on ");
        summary.ShouldEndWith("x…");
    }

    [Fact]
    public async Task CreateRequest_ResolvedAnomaly_ResolvesByDedupKeyWithoutPayload()
    {
        var incident = AnAnomaly.Open();

        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Resolved(incident)));

        body.GetProperty("event_action").GetString().ShouldBe("resolve");
        body.GetProperty("dedup_key").GetString().ShouldBe(incident.DedupKey);
        body.GetProperty("routing_key").GetString().ShouldBe("rk-0123456789");
        body.TryGetProperty("payload", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateRequest_DedupKeyOver255Characters_SendsAStableKeyWithin255()
    {
        var anomaly = AnAnomaly.Open(dedupKey: "training_scale:" + new string('k', 400));

        var first = (await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(anomaly))).GetProperty("dedup_key").GetString()!;
        var again = (await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Resolved(anomaly)))).GetProperty("dedup_key").GetString()!;

        first.Length.ShouldBeLessThanOrEqualTo(255);
        first.ShouldStartWith("training_scale:kkk");
        again.ShouldBe(first);
    }

    [Fact]
    public void CreateRequest_ConfiguredUrl_PostsThere()
    {
        _options.Url = "https://events.eu.pagerduty.com/v2/enqueue";

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(AnAnomaly.Open()));

        request.RequestUri.ShouldBe(new Uri("https://events.eu.pagerduty.com/v2/enqueue"));
    }

    [Fact]
    public async Task CreateRequest_Body_IsValidJsonWithOnlyKnownTopLevelFields()
    {
        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Open()));

        body.ValueKind.ShouldBe(JsonValueKind.Object);
        body.EnumerateObject().Select(p => p.Name).ShouldBe(["routing_key", "event_action", "dedup_key", "client", "payload"]);
    }

    private PagerDutyFormat CreateSut() => new(_options);
}
