using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Events;
using UsageSentinel.Core.Ports;
using UsageSentinel.TestKit;

namespace UsageSentinel.Core.Tests.Detectors;

/// <summary>
/// The rows a population snapshot hands to the training: one per sampled account with GPU use, in the engine's account
/// order, whatever the number of accounts (the snapshot fetches accounts ahead and takes each a few accounts later).
/// </summary>
public sealed class PopulationSnapshotTests
{
    private static readonly DateTimeOffset T0 = Some.Epoch;

    [Theory]
    [InlineData(1, 100)]
    [InlineData(5, 100)]
    [InlineData(6, 100)]
    [InlineData(7, 100)]
    [InlineData(13, 100)]
    [InlineData(40, 100)]
    [InlineData(250, 100)] // more accounts than a snapshot takes: every third (stride 3), in order
    public void Snapshot_AccountsRunningDistinctGpuCounts_RowsInAccountOrderOncePerSampledAccount(int accounts, int maxSnapshotAccounts)
    {
        var options = new DetectionOptions();
        options.PopulationOutlier.MaxSnapshotAccounts = maxSnapshotAccounts;
        var training = new RecordingTraining();
        var engine = new DetectionEngine<int>(options, GpuCatalog.Default, new RecordingOutput<int>(), population: training);
        var n = 0;
        for (var k = 0; k < accounts; k++)
        {
            // Account k runs k + 1 GPUs: the first feature, log(1 + running GPUs), names the account in its row.
            engine.Offer(A.Launch($"acct-{k:D4}", $"i-{k}", T0.AddSeconds(k), gpuCount: k + 1), n++);
        }

        // An event past the first day's boundary runs the sweep that takes the snapshot.
        engine.Offer(A.Access("acct-0000", T0.AddDays(1).AddMinutes(1)), n++);
        engine.Flush();

        var stride = (accounts + maxSnapshotAccounts - 1) / maxSnapshotAccounts;
        var expected = Enumerable.Range(0, accounts).Where(k => k % stride == 0).Select(k => (float)Math.Log(1 + k + 1)).ToList();
        training.Snapshots.ShouldNotBeEmpty();
        training.Snapshots[0].Select(row => row[0]).ToList().ShouldBe(expected);
    }

    private sealed class RecordingTraining : IPopulationTraining
    {
        public List<IReadOnlyList<float[]>> Snapshots { get; } = [];

        public PopulationModelHolder Models { get; } = new();

        // Any non-empty snapshot is handed over, however few accounts it has.
        public bool AppliesMinimum => true;

        public void Submit(int loopIndex, DateTimeOffset eventTime, IReadOnlyList<float[]> features) => Snapshots.Add(features);
    }
}
