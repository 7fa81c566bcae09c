using System.Globalization;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Kafka.Anomalies;

namespace UsageSentinel.Kafka.Tests.Anomalies;

public sealed class AnomalyRecordTests
{
    public static TheoryData<string> Names => GoldenAnomalies.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Parse_GoldenFile_ReadsBackTheAnomalyItWasWrittenFrom(string name)
    {
        AnomalyDetected anomaly = GoldenAnomalies.ByName[name];
        byte[] json = File.ReadAllBytes(Path.Combine(GoldenAnomalies.OutputFolder, name + ".json"));

        AnomalyRecord record = AnomalyRecord.Parse(json);

        record.AnomalyId.ShouldBe(anomaly.AnomalyId);
        record.AccountId.ShouldBe(anomaly.AccountId);
        record.Detector.ShouldBe(anomaly.Detector);
        record.EventTime.ShouldBe(AnomalyJson.FormatTime(anomaly.EventTime));
        DateTimeOffset.Parse(record.EventTime, CultureInfo.InvariantCulture).ShouldBe(anomaly.EventTime);
        record.Score.ShouldBe(anomaly.Score);
        record.Severity.ShouldBe(anomaly.Severity.ToWireName());
        record.Status.ShouldBe(AnomalyJson.StatusName(anomaly.Status));
        record.Summary.ShouldBe(anomaly.Summary);
        record.DedupKey.ShouldBe(anomaly.DedupKey);
        record.Kind.ShouldBe(anomaly.TrainingScale?.Kind);
        record.LinkedAccountIds.ShouldBe(anomaly.LinkedAccountIds);
    }
}
