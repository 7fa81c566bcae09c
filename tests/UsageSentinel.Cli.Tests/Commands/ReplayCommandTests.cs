using System.Text.Json;

namespace UsageSentinel.Cli.Tests.Commands;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("us-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Replay_SameFileTwice_WritesByteIdenticalAnomalies()
    {
        var events = Path.Combine(_dir, "events.ndjson");
        var labels = Path.Combine(_dir, "labels.ndjson");
        var simulate = await CliProcess.RunAsync("simulate", "--seed", "7", "--accounts", "40", "--days", "21", "--output", events, "--labels", labels);
        simulate.ExitCode.ShouldBe(0, simulate.Stderr);

        var first = await CliProcess.RunAsync("replay", "--input", events, "--output", Path.Combine(_dir, "a1.ndjson"));
        var second = await CliProcess.RunAsync("replay", "--input", events, "--output", Path.Combine(_dir, "a2.ndjson"), "--quiet");
        first.ExitCode.ShouldBe(0, first.Stderr);
        second.ExitCode.ShouldBe(0, second.Stderr);
        first.Stderr.ShouldContain("replay:");

        var a1 = await File.ReadAllBytesAsync(Path.Combine(_dir, "a1.ndjson"));
        var a2 = await File.ReadAllBytesAsync(Path.Combine(_dir, "a2.ndjson"));
        a1.Length.ShouldBeGreaterThan(0);
        a1.ShouldBe(a2);

        // The restricted-scale training scenario is caught, with a projection.
        var restricted = File.ReadLines(labels).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("scenario").GetString() == "restricted_training")
            .Select(l => l.GetProperty("account_id").GetString()).ToHashSet();
        var anomalies = File.ReadLines(Path.Combine(_dir, "a1.ndjson")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(a => a.GetProperty("detector").GetString() == "training_scale").ToList();
        anomalies.ShouldContain(a => restricted.Contains(a.GetProperty("account_id").GetString()) && a.GetProperty("training_scale").GetProperty("kind").GetString() == "projected");
        anomalies.ShouldContain(a => restricted.Contains(a.GetProperty("account_id").GetString()) && a.GetProperty("training_scale").GetProperty("kind").GetString() == "crossed");
    }

    [Fact]
    public async Task Replay_BadLines_AreReportedWithReasonAndTheRestIsProcessed()
    {
        var input = Path.Combine(_dir, "in.ndjson");
        await File.WriteAllLinesAsync(input,
        [
            """{"event_id":"a","event_type":"instance.access","occurred_at":"2026-03-01T00:00:00Z","account_id":"x","principal_id":"p"}""",
            "",
            """{"event_id":"b","event_type":"instance.access","occurred_at":"2026-03-01T00:00:00","account_id":"x","principal_id":"p"}""",
            "{ nope",
        ]);
        var deadLetters = Path.Combine(_dir, "dl.ndjson");
        var result = await CliProcess.RunAsync("replay", "--input", input, "--output", Path.Combine(_dir, "out.ndjson"), "--dead-letters", deadLetters, "--quiet");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldContain("3 lines, 1 events processed");
        var rejected = File.ReadLines(deadLetters).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        rejected.Select(r => r.GetProperty("reason").GetString()).ShouldBe(["invalid_field", "malformed_json"]);
        rejected[0].GetProperty("line").GetInt32().ShouldBe(3);
        rejected[0].GetProperty("message").GetString()!.ShouldContain("occurred_at");
    }

    [Fact]
    public async Task Replay_InvalidDetectionSetting_StopsNamingTheSetting()
    {
        var input = Path.Combine(_dir, "empty.ndjson");
        await File.WriteAllTextAsync(input, string.Empty);
        var result = await CliProcess.RunAsync("replay", "--input", input, "--output", Path.Combine(_dir, "out.ndjson"), "--Detection:TrainingScale:Utilization=7");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("Detection:TrainingScale:Utilization");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task Replay_LoopsOutOfRange_StopsNamingTheOption(string loops)
    {
        var input = Path.Combine(_dir, "empty.ndjson");
        await File.WriteAllTextAsync(input, string.Empty);
        var result = await CliProcess.RunAsync("replay", "--input", input, "--output", Path.Combine(_dir, "out.ndjson"), "--loops", loops);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"--loops must be between 1 and 64, not {loops}");
        File.Exists(Path.Combine(_dir, "out.ndjson")).ShouldBeFalse();
    }

    [Fact]
    public async Task Replay_TwoLoops_SameFileTwice_WritesByteIdenticalAnomalies()
    {
        var events = Path.Combine(_dir, "events.ndjson");
        var simulate = await CliProcess.RunAsync("simulate", "--seed", "7", "--accounts", "40", "--days", "21", "--output", events);
        simulate.ExitCode.ShouldBe(0, simulate.Stderr);

        var first = await CliProcess.RunAsync("replay", "--input", events, "--output", Path.Combine(_dir, "b1.ndjson"), "--loops", "2", "--quiet");
        var second = await CliProcess.RunAsync("replay", "--input", events, "--output", Path.Combine(_dir, "b2.ndjson"), "--loops", "2", "--quiet");

        first.ExitCode.ShouldBe(0, first.Stderr);
        second.ExitCode.ShouldBe(0, second.Stderr);
        var b1 = await File.ReadAllBytesAsync(Path.Combine(_dir, "b1.ndjson"));
        b1.Length.ShouldBeGreaterThan(0);
        (await File.ReadAllBytesAsync(Path.Combine(_dir, "b2.ndjson"))).ShouldBe(b1);
    }
}
