using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Tests.Outbox;

public sealed class AlertContentTests
{
    [Fact]
    public void Parse_AnomalyJson_ReadsBackEveryFieldTheFormatsUse()
    {
        var anomaly = AnAnomaly.Resolved(AnAnomaly.Open(severity: Severity.Critical, score: 91.5, linkedAccounts: ["acct-b", "acct-c"]));
        var written = AlertContent.From(anomaly);

        var read = AlertContent.Parse(written.Json);

        read.AnomalyId.ShouldBe(anomaly.AnomalyId);
        read.AccountId.ShouldBe(anomaly.AccountId);
        read.LinkedAccountIds.ShouldBe(["acct-b", "acct-c"]);
        read.Detector.ShouldBe(anomaly.Detector);
        read.EventTime.ShouldBe(anomaly.EventTime);
        read.Score.ShouldBe(91.5);
        read.Severity.ShouldBe(Severity.Critical);
        read.Confidence.ShouldBe(anomaly.Confidence);
        read.Status.ShouldBe(AnomalyStatus.Resolved);
        read.Summary.ShouldBe(anomaly.Summary);
        read.RootCauses.ShouldBe(anomaly.RootCauses);
        read.DedupKey.ShouldBe(anomaly.DedupKey);
        read.Json.ToArray().ShouldBe(AnomalyJson.ToUtf8(anomaly));
    }

    [Fact]
    public void Parse_NotAnAnomaly_Throws() =>
        Should.Throw<KeyNotFoundException>(() => AlertContent.Parse("""{"anomaly_id":"x"}"""u8.ToArray()));
}
