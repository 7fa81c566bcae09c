using UsageSentinel.Worker.Pipeline;

namespace UsageSentinel.IntegrationTests.State;

/// <summary>Checkpoints of a worker's partitions are spread over the interval, so a loop exports one at a time.</summary>
public sealed class CheckpointScheduleTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 6)]
    [InlineData(0, 13)]
    [InlineData(0, 48)]
    [InlineData(5, 7)]
    [InlineData(100, 32)]
    public void CheckpointOffset_ConsecutivePartitions_SpreadOverTheInterval(int first, int count)
    {
        const long Interval = 10_000_000;
        var offsets = Enumerable.Range(first, count).Select(p => KafkaPipelineService.CheckpointOffset(p, Interval)).Order().ToList();

        offsets.ShouldAllBe(o => o >= 0 && o < Interval);
        var gaps = offsets.Zip(offsets.Skip(1), (a, b) => b - a).Append(Interval - offsets[^1] + offsets[0]).ToList();
        gaps.Min().ShouldBeGreaterThanOrEqualTo(Interval / (3 * count), "no two partitions checkpoint at nearly the same moment");
        gaps.Max().ShouldBeLessThanOrEqualTo(3 * Interval / count, "no long stretch of the interval without a checkpoint");
    }
}
