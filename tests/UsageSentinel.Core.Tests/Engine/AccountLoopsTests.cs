using UsageSentinel.Core.Engine;
using UsageSentinel.TestKit;

namespace UsageSentinel.Core.Tests.Engine;

public sealed class AccountLoopsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Of_Event_IsTheLoopOfItsAccountId(int loops)
    {
        var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var seen = new HashSet<int>();
        for (var i = 0; i < 1_000; i++)
        {
            var accessed = A.Access($"acct-{i}", at);
            var moved = accessed with { AccountId = $"other-{i}" };

            AccountLoops.Of(accessed, loops).ShouldBe(AccountLoops.Of(accessed.AccountId, loops));
            AccountLoops.Of(moved, loops).ShouldBe(AccountLoops.Of(moved.AccountId, loops));
            seen.Add(AccountLoops.Of(accessed, loops));
        }

        seen.Count.ShouldBe(loops, "a thousand accounts reach every loop");
    }
}
