using System.Text.Json;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.Receivers;

public sealed class SlackFormatTests
{
    private readonly ReceiverOptions _options = new() { Type = ReceiverType.Slack, Url = "https://hooks.slack.com/services/T1/B2/secret" };

    [Fact]
    public async Task CreateRequest_OneAlert_PostsSectionAndContextBlocks()
    {
        var anomaly = AnAnomaly.Open(account: "acct-3", severity: Severity.Critical, score: 99, summary: "Cluster of 512 H100.");

        using var request = Deliveries.Request(CreateSut(), Deliveries.Of(anomaly));
        var body = await Deliveries.BodyAsync(request);

        request.RequestUri.ShouldBe(new Uri("https://hooks.slack.com/services/T1/B2/secret"));
        body.GetProperty("text").GetString().ShouldBe("[CRITICAL] training_scale on acct-3: Cluster of 512 H100.");
        var blocks = body.GetProperty("blocks").EnumerateArray().ToArray();
        blocks.Select(b => b.GetProperty("type").GetString()).ShouldBe(["section", "context"]);
        var section = blocks[0].GetProperty("text");
        section.GetProperty("type").GetString().ShouldBe("mrkdwn");
        section.GetProperty("text").GetString().ShouldBe(":rotating_light: *CRITICAL* `training_scale` · account `acct-3` · score 99\nCluster of 512 H100.");
        var context = blocks[1].GetProperty("elements")[0].GetProperty("text").GetString()!;
        context.ShouldContain("estimated_training_flop 2.1E+24 vs 1E+24 (60%)");
        context.ShouldContain($"dedup `{anomaly.DedupKey}`");
    }

    [Fact]
    public async Task CreateRequest_ThreeAlerts_GroupsThemUnderOneHeader()
    {
        var batch = new[] { AnAnomaly.Open(), AnAnomaly.Open(), AnAnomaly.Open() }.Select(a => Deliveries.Of(a)).ToArray();

        var body = await Deliveries.BodyAsync(CreateSut(), batch);

        body.GetProperty("text").GetString().ShouldBe("UsageSentinel: 3 anomalies");
        var blocks = body.GetProperty("blocks").EnumerateArray().ToArray();
        blocks.Length.ShouldBe(7);
        blocks[0].GetProperty("type").GetString().ShouldBe("header");
        blocks[0].GetProperty("text").GetProperty("text").GetString().ShouldBe("UsageSentinel: 3 anomalies");
        blocks.Count(b => b.GetProperty("type").GetString() == "section").ShouldBe(3);
    }

    [Fact]
    public async Task CreateRequest_ResolvedAnomaly_SaysResolved()
    {
        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Resolved(AnAnomaly.Open(account: "acct-4"))));

        body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!
            .ShouldStartWith(":white_check_mark: *RESOLVED* `training_scale` · account `acct-4`");
    }

    [Fact]
    public async Task CreateRequest_SummaryWithMarkup_EscapesIt()
    {
        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Open(summary: "a <b> & c")));

        body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!.ShouldEndWith("a &lt;b&gt; &amp; c");
    }

    [Fact]
    public void MaxBatch_IsTheGroupSize()
    {
        _options.MaxGroupSize = 4;

        CreateSut().MaxBatch.ShouldBe(4);
    }

    [Fact]
    public async Task CreateRequest_HugeSummary_KeepsSectionWithinSlackLimit()
    {
        var body = await Deliveries.BodyAsync(CreateSut(), Deliveries.Of(AnAnomaly.Open(summary: new string('z', 10_000))));

        body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!.Length.ShouldBe(SlackFormat.MaxSectionLength);
        body.GetProperty("text").ValueKind.ShouldBe(JsonValueKind.String);
    }

    private SlackFormat CreateSut() => new(_options);
}
