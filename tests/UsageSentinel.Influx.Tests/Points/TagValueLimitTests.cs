using UsageSentinel.Influx.Points;

namespace UsageSentinel.Influx.Tests.Points;

public sealed class TagValueLimitTests
{
    [Fact]
    public void TryAdmit_UpToCapacity_AdmitsThenRefusesNewButKeepsKnownValues()
    {
        var sut = new TagValueLimit(2);

        sut.TryAdmit("a").ShouldBeTrue();
        sut.TryAdmit("b").ShouldBeTrue();
        sut.TryAdmit("c").ShouldBeFalse();
        sut.TryAdmit("a").ShouldBeTrue();
        sut.TryAdmit("b").ShouldBeTrue();
    }

    [Fact]
    public void TryAdmit_ManyThreads_NeverAdmitsMoreThanCapacity()
    {
        var sut = new TagValueLimit(100);
        var admitted = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 10_000, i =>
        {
            var value = "v" + (i % 1_000);
            if (sut.TryAdmit(value))
            {
                admitted.Add(value);
            }
        });

        // Near the limit a racing duplicate may hold a slot for a moment, so a few values can be refused; never more admitted.
        admitted.Distinct().Count().ShouldBeInRange(1, 100);
    }
}
