using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.Receivers;

public sealed class WebhookFormatTests
{
    private const string Key = "0123456789abcdef-key";

    private readonly ReceiverOptions _options = new() { Type = ReceiverType.Webhook, Url = "https://example.test/hooks/anomaly", HmacKey = Key };

    [Fact]
    public async Task CreateRequest_Anomaly_PostsTheAnomalyJsonByteForByte()
    {
        var anomaly = AnAnomaly.Open();

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(anomaly));

        request.Method.ShouldBe(HttpMethod.Post);
        request.RequestUri.ShouldBe(new Uri("https://example.test/hooks/anomaly"));
        request.Content!.Headers.ContentType!.MediaType.ShouldBe("application/json");
        (await request.Content.ReadAsByteArrayAsync()).ShouldBe(AnomalyJson.ToUtf8(anomaly));
    }

    [Fact]
    public async Task CreateRequest_Anomaly_SignsTimestampAndBody()
    {
        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(AnAnomaly.Open()));
        var body = await request.Content!.ReadAsByteArrayAsync();

        var timestamp = request.Headers.GetValues(WebhooksConstants.TimestampHeader).ShouldHaveSingleItem();
        var signature = request.Headers.GetValues(WebhooksConstants.SignatureHeader).ShouldHaveSingleItem();

        timestamp.ShouldBe(Deliveries.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        signature.ShouldMatch("^v1=[0-9a-f]{64}$");
        WebhookSignature.Verify(Key, timestamp, body, signature, Deliveries.Now, TimeSpan.FromMinutes(5)).ShouldBeTrue();
    }

    [Fact]
    public async Task CreateRequest_ResolvedAnomaly_PostsStatusResolved()
    {
        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Resolved(AnAnomaly.Open())));

        body.GetProperty("status").GetString().ShouldBe("resolved");
    }

    private WebhookFormat CreateSut() => new(_options);
}
