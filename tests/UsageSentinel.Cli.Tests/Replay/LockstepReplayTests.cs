using System.Text.Json;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.Cli.Tests.Replay;

public sealed class LockstepReplayTests
{
    private static readonly byte[] Events = ReplayInputs.Population;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_SeveralLoops_SameBytesEveryTime(int loops)
    {
        var first = Replay(loops);
        var second = Replay(loops);

        Lines(first).Length.ShouldBeGreaterThan(20);
        second.ShouldBe(first);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_SeveralLoops_RaisesTheAlertsOneLoopRaises(int loops)
    {
        var one = Alerts(Replay(1));
        var several = Alerts(Replay(loops));

        several.ShouldBe(one);
        one.Select(a => a.Detector).Distinct().Order().ShouldBe(
            ["linked_accounts", "population_outlier", "resale_proxy", "training_scale", "usage_deviation"]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Run_SeveralLoops_LinksAccountsOfDifferentLoops(int loops)
    {
        var linked = Lines(Replay(loops))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .First(a => a.GetProperty("detector").GetString() == "linked_accounts");
        var group = linked.GetProperty("linked_account_ids").EnumerateArray().Select(e => e.GetString()!)
            .Append(linked.GetProperty("account_id").GetString()!)
            .ToList();

        group.Count.ShouldBeGreaterThan(1);
        group.Select(a => AccountLoops.Of(a, loops)).Distinct().Count().ShouldBeGreaterThan(1);
    }

    [Fact]
    public void Run_SeveralLoops_SummaryCountsEveryLoop()
    {
        using var output = new MemoryStream();

        var summary = new ReplayRunner(new DetectionOptions(), GpuCatalog.Default, loops: 2).Run(new MemoryStream(Events), output, null, null, CancellationToken.None);

        summary.Lines.ShouldBe(Lines(Events).Length);
        summary.Processed.ShouldBe(summary.Lines);
        summary.Anomalies.ShouldBe(Lines(output.ToArray()).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ReplayRunner.MaxLoops + 1)]
    public void Constructor_LoopsOutOfRange_Throws(int loops) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ReplayRunner(new DetectionOptions(), GpuCatalog.Default, loops: loops));

    private static byte[] Replay(int loops)
    {
        using var output = new MemoryStream();
        new ReplayRunner(new DetectionOptions(), GpuCatalog.Default, loops: loops).Run(new MemoryStream(Events), output, null, null, CancellationToken.None);
        return output.ToArray();
    }

    private static string[] Lines(byte[] utf8) =>
        System.Text.Encoding.UTF8.GetString(utf8).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Who was alerted, by what, in which incident and state, in a fixed order (the figures may differ).</summary>
    private static List<(string Detector, string Account, string? DedupKey, string Status)> Alerts(byte[] output) =>
        [.. Lines(output)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(a => (
                a.GetProperty("detector").GetString()!,
                a.GetProperty("account_id").GetString()!,
                a.TryGetProperty("dedup_key", out var key) ? key.GetString() : null,
                a.GetProperty("status").GetString()!))
            .OrderBy(a => a.Item1, StringComparer.Ordinal)
            .ThenBy(a => a.Item2, StringComparer.Ordinal)
            .ThenBy(a => a.Item3, StringComparer.Ordinal)
            .ThenBy(a => a.Item4, StringComparer.Ordinal)];
}
