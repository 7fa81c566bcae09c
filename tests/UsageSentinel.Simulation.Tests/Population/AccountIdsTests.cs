using FsCheck;
using FsCheck.Fluent;
using UsageSentinel.Simulation.Population;

namespace UsageSentinel.Simulation.Tests.Population;

public sealed class AccountIdsTests
{
    [Fact]
    public void Number_AllSlotsOfASeed_IsAPermutationOfTheIdSpace()
    {
        var seen = new bool[AccountIds.Space];
        int collisions = 0;

        for (int slot = 0; slot < AccountIds.Space; slot++)
        {
            int number = AccountIds.Number(42, slot);
            collisions += seen[number] ? 1 : 0;
            seen[number] = true;
        }

        collisions.ShouldBe(0);
    }

    [Fact]
    public void Number_AnySlot_StaysInTheIdSpace()
    {
        Prop.ForAll<int, int>((seed, raw) =>
        {
            int slot = (int)((uint)raw % AccountIds.Space);
            int number = AccountIds.Number(seed, slot);
            return number is >= 0 and < AccountIds.Space;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Format_Number_IsSixDigitsAfterThePrefix()
    {
        AccountIds.Format(123).ShouldBe("acct-000123");
        AccountIds.Format(999_999).ShouldBe("acct-999999");
    }

    [Fact]
    public void Number_ConsecutiveSlots_AreScattered()
    {
        var numbers = Enumerable.Range(0, 10).Select(slot => AccountIds.Number(42, slot)).ToList();

        numbers.ShouldNotBe(numbers.Order().ToList());
    }
}
