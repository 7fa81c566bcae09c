using UsageSentinel.Worker.Replay;

namespace UsageSentinel.IntegrationTests.Detection;

/// <summary>The replay's hand-over of event batches between its reading thread and a detection thread.</summary>
public sealed class BatchHandOffTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void Publish_SeveralBatches_TakenInOrderAndReusedOnceReturned()
    {
        using var sut = new BatchHandOff(batches: 3);
        var batches = new[] { sut.TakeEmpty(default), sut.TakeEmpty(default), sut.TakeEmpty(default) };
        batches.Distinct().Count().ShouldBe(3);
        foreach (var batch in batches)
        {
            sut.Publish(batch, default);
        }

        foreach (var expected in batches)
        {
            sut.TryTakeFull(default, out var taken).ShouldBeTrue();
            taken.ShouldBeSameAs(expected);
        }

        sut.ReturnEmpty(batches[1]);
        sut.TakeEmpty(default).ShouldBeSameAs(batches[1]);
    }

    [Fact]
    public async Task TakeEmpty_NoneFree_WaitsUntilOneComesBack()
    {
        using var sut = new BatchHandOff(batches: 1);
        var only = sut.TakeEmpty(default);
        sut.Publish(only, default);

        var waiting = Task.Run(() => sut.TakeEmpty(default));
        waiting.IsCompleted.ShouldBeFalse();
        sut.TryTakeFull(default, out var taken).ShouldBeTrue();
        sut.ReturnEmpty(taken);

        (await waiting.WaitAsync(Deadline)).ShouldBeSameAs(only);
    }

    [Fact]
    public async Task TryTakeFull_NothingYet_WaitsForAPublishedBatch()
    {
        using var sut = new BatchHandOff(batches: 2);
        var waiting = Task.Run(() => sut.TryTakeFull(default, out var batch) ? batch : null);
        waiting.IsCompleted.ShouldBeFalse();
        var published = sut.TakeEmpty(default);
        sut.Publish(published, default);

        (await waiting.WaitAsync(Deadline)).ShouldBeSameAs(published);
    }

    [Fact]
    public async Task TryTakeFull_Completed_GivesWhatWasPublishedThenFalse()
    {
        using var sut = new BatchHandOff(batches: 2);
        var published = sut.TakeEmpty(default);
        sut.Publish(published, default);
        var waiting = Task.Run(() =>
        {
            sut.TryTakeFull(default, out var first).ShouldBeTrue();
            return (first, sut.TryTakeFull(default, out _));
        });

        sut.Complete();
        sut.Complete(); // an abort may complete again

        var (first, more) = await waiting.WaitAsync(Deadline);
        first.ShouldBeSameAs(published);
        more.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => sut.Publish(sut.TakeEmpty(default), default));
    }

    [Fact]
    public async Task Waits_Cancelled_ThrowOnBothSides()
    {
        using var sut = new BatchHandOff(batches: 1);
        using var stopDetection = new CancellationTokenSource();
        using var stopReading = new CancellationTokenSource();
        var detection = Task.Run(() => sut.TryTakeFull(stopDetection.Token, out _));
        var only = sut.TakeEmpty(stopReading.Token);
        var reading = Task.Run(() => sut.TakeEmpty(stopReading.Token));

        stopDetection.Cancel();
        stopReading.Cancel();

        await Should.ThrowAsync<OperationCanceledException>(() => detection.WaitAsync(Deadline));
        await Should.ThrowAsync<OperationCanceledException>(() => reading.WaitAsync(Deadline));
        only.ShouldNotBeNull();
    }

    [Fact]
    public async Task TryTakeFull_AnotherTokenAfterAWait_IsCancelledByTheNewToken()
    {
        // A side keeps its token's registration while it passes the same token; a new token must replace it.
        using var sut = new BatchHandOff(batches: 2);
        using var first = new CancellationTokenSource();
        var waiting = Task.Run(() => sut.TryTakeFull(first.Token, out var batch) ? batch : null);
        sut.Publish(sut.TakeEmpty(default), default);
        (await waiting.WaitAsync(Deadline)).ShouldNotBeNull();

        using var second = new CancellationTokenSource();
        var cancelled = Task.Run(() => sut.TryTakeFull(second.Token, out _));
        second.Cancel();

        await Should.ThrowAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        first.Cancel(); // the old registration, if any left, must not break anything
        sut.Publish(sut.TakeEmpty(default), default);
        sut.TryTakeFull(default, out var taken).ShouldBeTrue();
        taken.ShouldNotBeNull();
    }
}
