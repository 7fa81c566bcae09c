using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using UsageSentinel.Influx.Buffering;

namespace UsageSentinel.Influx.Tests.Buffering;

public sealed class PointBufferTests
{
    private readonly InfluxWriterStats _stats = new();
    private readonly List<PointData> _batch = [];

    private static PointData Point(int i) => PointData.Measurement("m").Field("i", (long)i).Timestamp(i, WritePrecision.Ns);

    private static long[] Values(List<PointData> batch) => [.. batch.Select(p => long.Parse(p.ToLineProtocol().Split(' ')[1][2..^1], System.Globalization.CultureInfo.InvariantCulture))];

    private PointBuffer CreateSut(int capacity = 5, int batchSize = 3) => new(capacity, batchSize, _stats);

    /// <summary>Points 0..2 in a buffer of 3, 0 and 1 in flight, then 3 and 4 added: both in-flight points are evicted.</summary>
    private PointBuffer EvictTwoPointsInFlight()
    {
        var sut = CreateSut(capacity: 3);
        for (var i = 0; i < 3; i++)
        {
            sut.Add(Point(i));
        }

        sut.PeekBatch(_batch, 2);
        sut.Add(Point(3));
        sut.Add(Point(4));
        return sut;
    }

    [Fact]
    public void Add_BeyondCapacity_DropsOldestAndCountsThem()
    {
        using var sut = CreateSut(capacity: 5);

        for (var i = 0; i < 8; i++)
        {
            sut.Add(Point(i));
        }

        _stats.Dropped.ShouldBe(3);
        _stats.Buffered.ShouldBe(5);
        sut.PeekBatch(_batch, 10).ShouldBe(5);
        Values(_batch).ShouldBe([3, 4, 5, 6, 7]);
    }

    [Fact]
    public void Complete_Written_RemovesTheBatchAndCountsItWritten()
    {
        using var sut = CreateSut();
        for (var i = 0; i < 4; i++)
        {
            sut.Add(Point(i));
        }

        sut.PeekBatch(_batch, 3);
        sut.Complete(written: true);

        _stats.Written.ShouldBe(3);
        _stats.Buffered.ShouldBe(1);
        sut.PeekBatch(_batch, 3);
        Values(_batch).ShouldBe([3]);
    }

    [Fact]
    public void Complete_Failed_KeepsTheBatchForARetry()
    {
        using var sut = CreateSut();
        sut.Add(Point(1));
        sut.Add(Point(2));

        sut.PeekBatch(_batch, 3);
        sut.Complete(written: false);

        _stats.Written.ShouldBe(0);
        _stats.Dropped.ShouldBe(0);
        sut.PeekBatch(_batch, 3);
        Values(_batch).ShouldBe([1, 2]);
    }

    [Fact]
    public void Complete_WrittenAfterItsPointsWereEvicted_CountsThemWrittenNotDropped()
    {
        using var sut = EvictTwoPointsInFlight();

        sut.Complete(written: true);

        _stats.Written.ShouldBe(2);
        _stats.Dropped.ShouldBe(0);
        sut.PeekBatch(_batch, 5);
        Values(_batch).ShouldBe([2, 3, 4]);
    }

    [Fact]
    public void Complete_FailedAfterItsPointsWereEvicted_CountsThemDroppedOnce()
    {
        using var sut = EvictTwoPointsInFlight();
        _stats.Dropped.ShouldBe(0);

        sut.Complete(written: false);

        _stats.Dropped.ShouldBe(2);
        sut.PeekBatch(_batch, 5);
        sut.Complete(written: false);
        _stats.Dropped.ShouldBe(2);
        Values(_batch).ShouldBe([2, 3, 4]);
    }

    [Fact]
    public void Reject_DropsTheWholeBatch()
    {
        using var sut = CreateSut();
        for (var i = 0; i < 4; i++)
        {
            sut.Add(Point(i));
        }

        sut.PeekBatch(_batch, 3);
        sut.Reject();

        _stats.Dropped.ShouldBe(3);
        _stats.Written.ShouldBe(0);
        _stats.Buffered.ShouldBe(1);
    }

    [Fact]
    public async Task WaitForBatchAsync_FullBatchBuffered_ReturnsBeforeTheInterval()
    {
        using var sut = CreateSut(capacity: 10, batchSize: 3);
        var wait = sut.WaitForBatchAsync(TimeSpan.FromHours(1), TimeProvider.System, CancellationToken.None);
        wait.IsCompleted.ShouldBeFalse();

        for (var i = 0; i < 3; i++)
        {
            sut.Add(Point(i));
        }

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        wait.IsCompletedSuccessfully.ShouldBeTrue();
    }

    [Fact]
    public async Task WaitForBatchAsync_IntervalPasses_ReturnsWithAPartialBatch()
    {
        using var sut = CreateSut(capacity: 10, batchSize: 3);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        sut.Add(Point(1));
        var wait = sut.WaitForBatchAsync(TimeSpan.FromSeconds(5), time, CancellationToken.None);
        wait.IsCompleted.ShouldBeFalse();

        time.Advance(TimeSpan.FromSeconds(5));

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        wait.IsCompletedSuccessfully.ShouldBeTrue();
    }
}
