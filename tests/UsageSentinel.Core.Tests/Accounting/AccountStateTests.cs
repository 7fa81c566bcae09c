using UsageSentinel.Core.Accounting;

namespace UsageSentinel.Core.Tests.Accounting;

public sealed class AccountStateTests
{
    private static AccountState CreateSut() => new("acct-1", 30, 3);

    [Fact]
    public void DeclaredUtcOffsetHours_FollowsTheDeclaredCountry()
    {
        var sut = CreateSut();
        sut.DeclaredUtcOffsetHours.ShouldBe(0);

        sut.DeclaredCountry = "jp";
        sut.DeclaredUtcOffsetHours.ShouldBe(9);

        sut.DeclaredCountry = "US";
        sut.DeclaredUtcOffsetHours.ShouldBe(-5);

        sut.DeclaredCountry = "ZZ";
        sut.DeclaredUtcOffsetHours.ShouldBe(0);

        sut.DeclaredCountry = "NZ";
        sut.DeclaredCountry = null;
        sut.DeclaredUtcOffsetHours.ShouldBe(0);
    }
}
