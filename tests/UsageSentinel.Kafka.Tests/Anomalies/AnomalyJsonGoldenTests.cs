using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Kafka.Tests.Anomalies;

/// <summary>
/// Pins the anomaly wire format: <see cref="AnomalyJson.ToUtf8"/> of each <see cref="GoldenAnomalies"/> entry must equal
/// <c>Golden/&lt;name&gt;.json</c> byte for byte (the files have no final newline, as the writer writes none).
/// </summary>
/// <remarks>
/// On a mismatch the test writes what the writer produced next to the expected file, as
/// <c>Golden/&lt;name&gt;.received.json</c> in the source tree, and fails; nothing is accepted automatically. To accept a
/// change: check that it is intended (it changes what every consumer of the anomaly topic reads), diff the two files,
/// then <c>mv Golden/&lt;name&gt;.received.json Golden/&lt;name&gt;.json</c>, update <c>anomaly.schema.json</c> when a
/// field changed, and commit. A new golden anomaly starts the same way: add it to <see cref="GoldenAnomalies"/>, run the
/// tests, review and rename the received file.
/// </remarks>
public sealed class AnomalyJsonGoldenTests
{
    private const string ReceivedSuffix = ".received.json";

    public static TheoryData<string> Names => GoldenAnomalies.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void ToUtf8_GoldenAnomaly_MatchesGoldenFileByteForByte(string name)
    {
        byte[] actual = AnomalyJson.ToUtf8(GoldenAnomalies.ByName[name]);
        string expectedPath = Path.Combine(GoldenAnomalies.OutputFolder, name + ".json");
        string receivedPath = Path.Combine(SourceGoldenFolder() ?? GoldenAnomalies.OutputFolder, name + ReceivedSuffix);
        byte[]? expected = File.Exists(expectedPath) ? File.ReadAllBytes(expectedPath) : null;

        if (expected is not null && actual.AsSpan().SequenceEqual(expected))
        {
            File.Delete(receivedPath); // a leftover of an earlier failure, now stale
            return;
        }

        File.WriteAllBytes(receivedPath, actual);
        Assert.Fail(MismatchMessage(name, expected, actual, receivedPath));
    }

    [Fact]
    public void GoldenFolder_HoldsExactlyOneFilePerGoldenAnomaly()
    {
        string[] files = [.. Directory.GetFiles(GoldenAnomalies.OutputFolder, "*.json")
            .Select(Path.GetFileName)
            .Where(f => !f!.EndsWith(ReceivedSuffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)!];

        files.ShouldBe([.. GoldenAnomalies.ByName.Keys.Select(n => n + ".json").Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public void GoldenAnomalies_CoverEveryDetector()
    {
        string[] detectors = [.. typeof(DetectorNames).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!)];

        GoldenAnomalies.ByName.Values.Select(a => a.Detector).Distinct().Order(StringComparer.Ordinal)
            .ShouldBe(detectors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GoldenAnomalies_CoverEveryStatusAndSeverity()
    {
        GoldenAnomalies.ByName.Values.Select(a => a.Status).Distinct().Order().ShouldBe(Enum.GetValues<AnomalyStatus>());
        GoldenAnomalies.ByName.Values.Select(a => a.Severity).Distinct().Order().ShouldBe(Enum.GetValues<Severity>());
    }

    [Fact]
    public void GoldenAnomalies_IncludeFullTrainingScaleDetailsLinkedAccountsAndEscapedSummary()
    {
        IEnumerable<AnomalyDetected> all = GoldenAnomalies.ByName.Values;

        all.ShouldContain(a => a.TrainingScale != null && a.TrainingScale.RunKey != null && a.TrainingScale.Region != null
            && a.TrainingScale.PlacementGroup != null && a.TrainingScale.ProjectedCrossingAt != null && a.TrainingScale.EvidenceEventIds.Count > 0);
        all.ShouldContain(a => a.TrainingScale != null && a.TrainingScale.RunKey == null && a.TrainingScale.ProjectedCrossingAt == null);
        all.ShouldContain(a => a.LinkedAccountIds.Count > 0);
        all.ShouldContain(a => a.Summary.Contains('"', StringComparison.Ordinal) && a.Summary.Contains('é', StringComparison.Ordinal)
            && a.Summary.Contains('<', StringComparison.Ordinal) && a.Summary.Contains('\n', StringComparison.Ordinal));
    }

    /// <summary>The Golden folder in the source tree, or null when the sources are not where the compiler saw them.</summary>
    private static string? SourceGoldenFolder([CallerFilePath] string thisFile = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(thisFile) ?? string.Empty, "Golden");
        return Directory.Exists(folder) ? folder : null;
    }

    private static string MismatchMessage(string name, byte[]? expected, byte[] actual, string receivedPath)
    {
        var message = new StringBuilder();
        if (expected is null)
        {
            message.AppendLine($"No golden file Golden/{name}.json yet.");
        }
        else
        {
            int at = expected.AsSpan().CommonPrefixLength(actual);
            message.AppendLine($"AnomalyJson output differs from Golden/{name}.json at byte {at} (expected {expected.Length} bytes, got {actual.Length}).");
            message.AppendLine("expected: " + Encoding.UTF8.GetString(expected));
        }

        message.AppendLine("received: " + Encoding.UTF8.GetString(actual));
        message.AppendLine($"The received bytes are in {receivedPath}.");
        message.Append($"If the change is intended, accept it: mv {name}{ReceivedSuffix} {name}.json in the Golden folder, then commit (see the remarks on {nameof(AnomalyJsonGoldenTests)}).");
        return message.ToString();
    }
}
