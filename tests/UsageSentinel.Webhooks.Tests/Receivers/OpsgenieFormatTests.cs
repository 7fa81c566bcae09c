using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.Receivers;

public sealed class OpsgenieFormatTests
{
    private readonly ReceiverOptions _options = new() { Type = ReceiverType.Opsgenie, ApiKey = "og-0123456789" };

    [Fact]
    public async Task CreateRequest_OpenAnomaly_CreatesAlertWithEveryField()
    {
        var anomaly = AnAnomaly.Open(account: "acct-9", severity: Severity.Critical, score: 97.25, summary: "Resells GPUs.", linkedAccounts: ["acct-10"]);

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(anomaly));
        var body = await Deliveries.BodyAsync(request);

        request.Method.ShouldBe(HttpMethod.Post);
        request.RequestUri.ShouldBe(new Uri("https://api.opsgenie.com/v2/alerts"));
        request.Headers.Authorization!.ToString().ShouldBe("GenieKey og-0123456789");
        body.GetProperty("message").GetString().ShouldBe("[CRITICAL] training_scale on acct-9: Resells GPUs.");
        body.GetProperty("alias").GetString().ShouldBe(anomaly.DedupKey);
        body.GetProperty("priority").GetString().ShouldBe("P1");
        body.GetProperty("source").GetString().ShouldBe("usage-sentinel");
        body.GetProperty("entity").GetString().ShouldBe("acct-9");
        body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["usage-sentinel", "training_scale", "critical"]);
        var description = body.GetProperty("description").GetString()!;
        description.ShouldContain("Resells GPUs.");
        description.ShouldContain("estimated_training_flop 2.1E+24 vs 1E+24 (60%)");
        description.ShouldContain("Linked accounts: acct-10");
        var details = body.GetProperty("details");
        details.GetProperty("anomaly_id").GetString().ShouldBe(anomaly.AnomalyId);
        details.GetProperty("score").GetString().ShouldBe("97.25");
        details.GetProperty("dedup_key").GetString().ShouldBe(anomaly.DedupKey);
        details.GetProperty("linked_account_ids").GetString().ShouldBe("acct-10");
    }

    [Fact]
    public async Task CreateRequest_LongSummary_TruncatesMessageTo130Characters()
    {
        var message = (await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Open(summary: new string('y', 400)))))
            .GetProperty("message").GetString()!;

        message.Length.ShouldBe(130);
        message.ShouldEndWith("y…");
    }

    [Theory]
    [InlineData(Severity.Critical, "P1")]
    [InlineData(Severity.High, "P2")]
    [InlineData(Severity.Medium, "P3")]
    [InlineData(Severity.Low, "P4")]
    public async Task CreateRequest_Severity_MapsToPriority(Severity severity, string priority)
    {
        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Open(severity: severity)));

        body.GetProperty("priority").GetString().ShouldBe(priority);
    }

    [Fact]
    public async Task CreateRequest_ResolvedAnomaly_ClosesByAlias()
    {
        var incident = AnAnomaly.Open(dedupKey: "resale_proxy:acct 1/x");

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(AnAnomaly.Resolved(incident)));
        var body = await Deliveries.BodyAsync(request);

        request.Method.ShouldBe(HttpMethod.Post);
        request.RequestUri!.AbsoluteUri.ShouldBe("https://api.opsgenie.com/v2/alerts/resale_proxy%3Aacct%201%2Fx/close?identifierType=alias");
        request.Headers.Authorization!.ToString().ShouldBe("GenieKey og-0123456789");
        body.GetProperty("source").GetString().ShouldBe("usage-sentinel");
        body.GetProperty("note").GetString()!.ShouldStartWith("[RESOLVED] training_scale");
    }

    [Fact]
    public void CreateRequest_EuBaseUrlWithSlash_PostsToItsAlertsEndpoint()
    {
        _options.Url = "https://api.eu.opsgenie.com/";

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(AnAnomaly.Open()));

        request.RequestUri.ShouldBe(new Uri("https://api.eu.opsgenie.com/v2/alerts"));
    }

    private OpsgenieFormat CreateSut() => new(_options);
}
