using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using UsageSentinel.Detection.ML.Population;

namespace UsageSentinel.Detection.ML.Tests.Population;

public sealed class QuickSelectTests
{
    [Property]
    public Property Select_AnyK_EqualsSortedElement() =>
        Prop.ForAll(
            Gen.Choose(1, 400).SelectMany(n => Gen.ArrayOf(Gen.Choose(-20, 20).Select(v => v / 4.0), n)).ToArbitrary(),
            Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (values, seed) =>
            {
                var k = seed % values.Length;
                var sorted = values.Order().ToArray();
                var copy = (double[])values.Clone();

                var selected = QuickSelect.Select(copy, k);

                return selected == sorted[k]
                    && copy.Take(k).All(v => v <= selected)
                    && copy.Skip(k).All(v => v >= selected)
                    && copy.Order().SequenceEqual(sorted);
            });

    [Theory]
    [InlineData(new double[] { 5 }, 5)]
    [InlineData(new double[] { 3, 1, 2 }, 2)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    [InlineData(new double[] { 7, 7, 7, 7 }, 7)]
    public void Median_SmallInputs_MiddleOrMeanOfMiddles(double[] values, double expected) =>
        QuickSelect.Median(values).ShouldBe(expected);

    [Fact]
    public void Select_SortedAndReversedMillion_Fast()
    {
        var ascending = Enumerable.Range(0, 1_000_000).Select(i => (double)i).ToArray();
        var descending = ascending.Reverse().ToArray();

        QuickSelect.Select(ascending, 500_000).ShouldBe(500_000);
        QuickSelect.Select(descending, 10).ShouldBe(10);
    }
}
