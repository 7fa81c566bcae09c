using UsageSentinel.Core.Anomalies;
using UsageSentinel.Influx.Points;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;

namespace UsageSentinel.Influx.Tests.Points;

public sealed class MetricPointsTests
{
    [Fact]
    public void Anomaly_LineProtocol_HasOnlyBoundedTagsAndStringFields()
    {
        var anomaly = Samples.Anomaly("acct 1,x", DetectorNames.ResaleProxy, Severity.Low);

        var line = MetricPoints.Anomaly(anomaly).ToLineProtocol();

        line.ShouldStartWith("anomalies,detector=resale_proxy,severity=low,status=open ");
        line.ShouldContain("account_id=\"acct 1,x\"");
        line.ShouldContain($"dedup_key=\"{anomaly.DedupKey}\"");
        line.ShouldEndWith(" " + MetricPoints.AnomalyTimestamp(anomaly));
    }

    [Fact]
    public void AnomalyTimestamp_SameAnomaly_IsTheSameWithinItsEventMillisecond()
    {
        var at = Some.Epoch.AddMilliseconds(123);
        var anomaly = Samples.Anomaly("acct-1", at: at);
        var eventNs = at.ToUnixTimeMilliseconds() * 1_000_000;

        var first = MetricPoints.AnomalyTimestamp(anomaly);

        first.ShouldBe(MetricPoints.AnomalyTimestamp(anomaly with { Summary = "changed" }));
        first.ShouldBeInRange(eventNs, eventNs + 999_999);
    }

    [Fact]
    public void AnomalyTimestamp_ManyAnomaliesAtOneEventTime_AreAllDistinct()
    {
        var timestamps = Enumerable.Range(0, 200)
            .Select(i => MetricPoints.AnomalyTimestamp(Samples.Anomaly($"acct-{i}", at: Some.Epoch)))
            .ToList();

        timestamps.Distinct().Count().ShouldBe(200);
    }

    [Fact]
    public void AnomalyTimestamp_BeforeUnixEpoch_StaysInItsMillisecond()
    {
        var at = DateTimeOffset.UnixEpoch.AddMilliseconds(-5);
        var eventNs = at.ToUnixTimeMilliseconds() * 1_000_000;

        MetricPoints.AnomalyTimestamp(Samples.Anomaly("acct-1", at: at)).ShouldBeInRange(eventNs, eventNs + 999_999);
    }

    [Fact]
    public void ToUnixNanoseconds_KnownInstant_IsExact()
    {
        MetricPoints.ToUnixNanoseconds(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(1)).AddTicks(15))
            .ShouldBe(1_772_319_600_000_001_500L);
    }
}
