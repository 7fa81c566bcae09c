using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Engine;
using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Tests.Engine;

public sealed class AccountTableTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 1_000)]
    [InlineData(3, 20_000)]
    public void AddRemoveAndLookUp_RandomSequence_AgreesWithADictionaryInAnswersAndOrder(int seed, int ids)
    {
        // Snapshots and eviction visit accounts in enumeration order, so the table must enumerate exactly as the
        // dictionary it replaced: additions in order, an addition after removals in the place removed last.
        var random = new Random(seed);
        var sut = new AccountTable();
        var expected = new Dictionary<string, AccountState>(StringComparer.Ordinal);
        for (var step = 0; step < 40_000; step++)
        {
            var id = $"acct-{random.Next(ids)}";
            switch (random.Next(5))
            {
                case 0 or 1 or 2 when !expected.ContainsKey(id):
                    var account = State(id);
                    sut.Add(account);
                    expected.Add(id, account);
                    break;
                case 3:
                    sut.Remove(id, out var removed).ShouldBe(expected.Remove(id, out var expectedRemoved));
                    removed.ShouldBeSameAs(expectedRemoved);
                    break;
                default:
                    sut.TryGetValue(id, out var found).ShouldBe(expected.TryGetValue(id, out var expectedFound));
                    found.ShouldBeSameAs(expectedFound);
                    break;
            }

            sut.Count.ShouldBe(expected.Count);
        }

        sut.Values.ShouldBe(expected.Values, ignoreOrder: false);
        foreach (var (id, account) in expected)
        {
            sut.TryGetValue(new string(id.AsSpan()), StableHash.Of(id), out var found).ShouldBeTrue(id);
            found.ShouldBeSameAs(account);
        }
    }

    [Fact]
    public void TryGetValue_HashOfAnotherStoredId_FindsNothing()
    {
        // The hash finds the slot; the id decides: a colliding hash never returns another account.
        var sut = new AccountTable();
        sut.Add(State("a"));
        sut.Add(State("b"));

        sut.TryGetValue("a", StableHash.Of("b"), out var account).ShouldBeFalse();
        account.ShouldBeNull();
        sut.TryGetValue("a", StableHash.Of("a"), out account).ShouldBeTrue();
        account!.AccountId.ShouldBe("a");
    }

    [Fact]
    public void Add_IdAlreadyThere_ThrowsAndKeepsTheFirst()
    {
        var sut = new AccountTable();
        var first = State("a");
        sut.Add(first);

        Should.Throw<ArgumentException>(() => sut.Add(State("a")));

        sut.Count.ShouldBe(1);
        sut.TryGetValue("a", out var account).ShouldBeTrue();
        account.ShouldBeSameAs(first);
    }

    [Fact]
    public void Remove_AccountInTheMiddleOfAProbeRun_LeavesEveryOtherFindable()
    {
        var sut = new AccountTable();
        var ids = Enumerable.Range(0, 5_000).Select(i => $"acct-{i}").ToList();
        foreach (var id in ids)
        {
            sut.Add(State(id));
        }

        for (var i = 0; i < ids.Count; i += 3)
        {
            sut.Remove(ids[i], out var removed).ShouldBeTrue();
            removed!.AccountId.ShouldBe(ids[i]);
            removed.TableEntry.ShouldBe(-1);
        }

        for (var i = 0; i < ids.Count; i++)
        {
            sut.TryGetValue(ids[i], out _).ShouldBe(i % 3 != 0, ids[i]);
        }

        sut.Remove("acct-0", out _).ShouldBeFalse();
        sut.Count.ShouldBe(ids.Count - ((ids.Count + 2) / 3));
    }

    [Fact]
    public void Values_ChangedWhileEnumerated_Throws()
    {
        var sut = new AccountTable();
        sut.Add(State("a"));
        sut.Add(State("b"));

        Should.Throw<InvalidOperationException>(() =>
        {
            foreach (var account in sut.Values)
            {
                sut.Remove(account.AccountId, out _);
            }
        });
    }

    [Fact]
    public void Prefetch_PresentAbsentOrEmpty_ChangesNothing()
    {
        var sut = new AccountTable();
        sut.PrefetchSlot(StableHash.Of("a"));
        sut.PrefetchAccount(StableHash.Of("a"), lines: 4);
        var a = State("a");
        sut.Add(a);

        foreach (var id in new[] { "a", "b", string.Empty })
        {
            sut.PrefetchSlot(StableHash.Of(id));
            sut.PrefetchAccount(StableHash.Of(id), lines: 0);
            sut.PrefetchAccount(StableHash.Of(id), lines: AccountState.CacheLines);
        }

        sut.Count.ShouldBe(1);
        sut.Values.ShouldBe([a]);
        sut.TryGetValue("b", out _).ShouldBeFalse();
    }

    private static AccountState State(string id) => new(id, rollingDays: 30, tiers: 3);
}
