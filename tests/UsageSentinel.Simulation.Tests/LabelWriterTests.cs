using System.Text;

namespace UsageSentinel.Simulation.Tests;

public sealed class LabelWriterTests
{
    private static readonly ScenarioLabel[] Labels =
    [
        new("acct-000001", ScenarioNames.HobbyistSpot, false, null, [], []),
        new("acct-000002", ScenarioNames.Structuring, true, new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), ["acct-000003", "acct-000004"], ["linked_accounts"]),
    ];

    [Fact]
    public void Write_ThenRead_RoundTripsEveryField()
    {
        IReadOnlyList<ScenarioLabel> read = RoundTrip(Labels);

        read.Count.ShouldBe(Labels.Length);
        for (int i = 0; i < Labels.Length; i++)
        {
            AssertSame(read[i], Labels[i]);
        }
    }

    [Fact]
    public void Write_SimulatedLabels_RoundTrip()
    {
        ScenarioLabel[] labels = [.. new PopulationSimulator(new SimulationOptions { Accounts = 20 }).Labels];

        IReadOnlyList<ScenarioLabel> read = RoundTrip(labels);

        read.Count.ShouldBe(labels.Length);
        read.Zip(labels).ToList().ForEach(pair => AssertSame(pair.First, pair.Second));
    }

    [Fact]
    public void Write_Labels_OneSnakeCaseObjectPerLine()
    {
        using var stream = new MemoryStream();
        LabelWriter.Write(stream, Labels);

        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');

        lines.Length.ShouldBe(3);
        lines[^1].ShouldBeEmpty();
        lines[0].ShouldBe("""{"account_id":"acct-000001","scenario":"hobbyist_spot","abusive":false,"abuse_start":null,"linked_account_ids":[],"expected_detectors":[]}""");
        lines[1].ShouldBe("""{"account_id":"acct-000002","scenario":"structuring","abusive":true,"abuse_start":"2026-03-02T10:00:00Z","linked_account_ids":["acct-000003","acct-000004"],"expected_detectors":["linked_accounts"]}""");
    }

    [Fact]
    public void Read_BlankLines_AreSkipped()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(
            "\n{\"account_id\":\"a\",\"scenario\":\"research_lab\",\"abusive\":false,\"abuse_start\":null,\"linked_account_ids\":[],\"expected_detectors\":[]}\n\n"));

        LabelWriter.Read(stream).ShouldHaveSingleItem().AccountId.ShouldBe("a");
    }

    [Fact]
    public void Read_NotALabel_ThrowsInvalidDataNamingTheLine()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("\n{\"account_id\":\"a\"}\n"));

        Should.Throw<InvalidDataException>(() => LabelWriter.Read(stream)).Message.ShouldContain("Line 2");
    }

    private static IReadOnlyList<ScenarioLabel> RoundTrip(IEnumerable<ScenarioLabel> labels)
    {
        using var stream = new MemoryStream();
        LabelWriter.Write(stream, labels);
        stream.Position = 0;
        return LabelWriter.Read(stream);
    }

    private static void AssertSame(ScenarioLabel actual, ScenarioLabel expected)
    {
        actual.AccountId.ShouldBe(expected.AccountId);
        actual.Scenario.ShouldBe(expected.Scenario);
        actual.Abusive.ShouldBe(expected.Abusive);
        actual.AbuseStart.ShouldBe(expected.AbuseStart);
        actual.LinkedAccountIds.ShouldBe(expected.LinkedAccountIds);
        actual.ExpectedDetectors.ShouldBe(expected.ExpectedDetectors);
    }
}
