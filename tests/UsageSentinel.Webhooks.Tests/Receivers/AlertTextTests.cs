using UsageSentinel.Webhooks.Receivers;

namespace UsageSentinel.Webhooks.Tests.Receivers;

public sealed class AlertTextTests
{
    [Fact]
    public void Truncate_ShortText_KeepsIt() => AlertText.Truncate("abc", 3).ShouldBe("abc");

    [Fact]
    public void Truncate_LongText_EndsWithEllipsisWithinLimit() => AlertText.Truncate("abcdef", 4).ShouldBe("abc…");

    [Fact]
    public void Truncate_CutInsideSurrogatePair_DropsTheWholePair()
    {
        var text = "ab\U0001F600cd";

        var cut = AlertText.Truncate(text, 4);

        cut.ShouldBe("ab…");
        cut.Length.ShouldBeLessThanOrEqualTo(4);
    }

    [Fact]
    public void LimitKey_LongKeys_DifferWhenTheKeysDiffer()
    {
        var head = new string('k', 300);

        var first = AlertText.LimitKey(head + "1", 255);
        var second = AlertText.LimitKey(head + "2", 255);

        first.Length.ShouldBe(255);
        second.Length.ShouldBe(255);
        first.ShouldNotBe(second);
    }

    [Theory]
    [InlineData(97.0, "97")]
    [InlineData(64.456, "64.46")]
    [InlineData(2.1e24, "2.1E+24")]
    [InlineData(double.NaN, "n/a")]
    public void Number_Value_FormatsForPeople(double value, string expected) => AlertText.Number(value).ShouldBe(expected);
}
