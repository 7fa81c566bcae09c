using UsageSentinel.Influx.Buffering;

namespace UsageSentinel.Influx.Tests.Buffering;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Next_RepeatedFailures_DoublesWithJitterUpToTheMaximum()
    {
        var sut = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(7));

        var delays = Enumerable.Range(0, 10).Select(_ => sut.Next().TotalSeconds).ToArray();

        for (var i = 0; i < delays.Length; i++)
        {
            var capped = Math.Min(30, Math.Pow(2, i));
            delays[i].ShouldBeInRange(capped / 2, capped);
        }

        delays.Distinct().Count().ShouldBeGreaterThan(5);
    }

    [Fact]
    public void Reset_AfterFailures_StartsFromTheInitialDelay()
    {
        var sut = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(7));
        for (var i = 0; i < 6; i++)
        {
            sut.Next();
        }

        sut.Reset();

        sut.Next().TotalSeconds.ShouldBeInRange(0.5, 1);
    }
}
