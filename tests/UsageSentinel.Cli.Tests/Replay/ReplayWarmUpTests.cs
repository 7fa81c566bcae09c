using System.Text;
using System.Text.Json;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;
using UsageSentinel.Simulation;
using UsageSentinel.Worker.Replay;

namespace UsageSentinel.Cli.Tests.Replay;

public sealed class ReplayWarmUpTests
{
    private static readonly byte[] Events = ReplayInputs.Simulate(seed: 23, accounts: 400, days: 4);

    [Fact]
    public void Run_WarmedUp_WritesTheSameBytesAsWithout()
    {
        var samples = 0;
        var warmUp = new ReplayWarmUp(() => { samples++; return WarmUpSample.Create(); }, minimumInputBytes: 0, passes: 2);
        using var cold = new MemoryStream();
        using var warm = new MemoryStream();

        var coldSummary = new ReplayRunner(new DetectionOptions(), GpuCatalog.Default).Run(new MemoryStream(Events), cold, null, null, CancellationToken.None);
        var warmSummary = new ReplayRunner(new DetectionOptions(), GpuCatalog.Default, warmUp: warmUp).Run(new MemoryStream(Events), warm, null, null, CancellationToken.None);

        samples.ShouldBe(1, "one sample for both passes");
        coldSummary.Anomalies.ShouldBeGreaterThan(0);
        warm.ToArray().ShouldBe(cold.ToArray());
        warmSummary.Processed.ShouldBe(coldSummary.Processed);
        warmSummary.Anomalies.ShouldBe(coldSummary.Anomalies);
    }

    [Fact]
    public void Run_InputSmallerThanTheMinimum_DoesNotWarmUp()
    {
        var samples = 0;
        var warmUp = new ReplayWarmUp(() => { samples++; return WarmUpSample.Create(); }, minimumInputBytes: Events.Length + 1);

        new ReplayRunner(new DetectionOptions(), GpuCatalog.Default, warmUp: warmUp).Run(new MemoryStream(Events), Stream.Null, null, null, CancellationToken.None);

        samples.ShouldBe(0);
    }

    [Fact]
    public void AppliesTo_LengthUnknownOrNoPasses_IsFalse()
    {
        var warmUp = new ReplayWarmUp(() => [], minimumInputBytes: 0);

        warmUp.AppliesTo(new MemoryStream(Events)).ShouldBeTrue();
        warmUp.AppliesTo(new NonSeekable(Events)).ShouldBeFalse("an input of unknown length may be small");
        new ReplayWarmUp(() => [], minimumInputBytes: 0, passes: 0).AppliesTo(new MemoryStream(Events)).ShouldBeFalse();
        new ReplayWarmUp(() => [], minimumInputBytes: 100).AppliesTo(new MemoryStream(new byte[99])).ShouldBeFalse();
    }

    [Fact]
    public void Sample_ReachesEveryEventTypeADayBoundaryAndSeveralDetectors()
    {
        var lines = Encoding.UTF8.GetString(WarmUpSample.Create()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var types = new HashSet<string>(StringComparer.Ordinal);
        var days = new HashSet<DateTime>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            types.Add(json.RootElement.GetProperty("event_type").GetString()!);
            days.Add(json.RootElement.GetProperty("occurred_at").GetDateTimeOffset().UtcDateTime.Date);
        }

        var result = new ReplayRunner(new DetectionOptions(), GpuCatalog.Default).Detect(lines.Select(Encoding.UTF8.GetBytes));

        types.ShouldBe(["account.upserted", "instance.launched", "instance.terminated", "instance.access", "billing.charge"], ignoreOrder: true);
        days.Count.ShouldBeGreaterThanOrEqualTo(3, "two day boundaries: daily evaluations and population snapshots");
        result.Rejected.ShouldBe(0);
        result.Anomalies.Select(a => a.Detector).Distinct().ShouldBe(["training_scale", "resale_proxy", "linked_accounts", "population_outlier"], ignoreOrder: true);
    }

    [Fact]
    public void Sample_IsTheSameEveryTime()
    {
        WarmUpSample.Create().ShouldBe(WarmUpSample.Create());
    }

    private sealed class NonSeekable(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
