using UsageSentinel.Simulation.Engine;
using UsageSentinel.Simulation.Randomness;
using UsageSentinel.Simulation.Scenarios;

namespace UsageSentinel.Simulation.Population;

/// <summary>Builds the accounts of a population, ordered by account id.</summary>
internal static class AccountFactory
{
    private const int ProfileStream = 7;
    private const int GroupStream = 9;

    public static List<AccountSimulation> Create(SimulationOptions options)
    {
        var accounts = new List<AccountSimulation>(options.Accounts + 16);
        DateTimeOffset end = options.Start + options.Duration;

        AccountSeed SeedFor(int slot)
        {
            int number = AccountIds.Number(options.Seed, slot);
            return new AccountSeed(options.Seed, slot, AccountIds.Format(number), options.Start, end);
        }

        void Add(AccountSimulation account) => accounts.Add(account);

        for (int slot = 0; slot < options.Accounts; slot++)
        {
            Add(Benign(SeedFor(slot)));
        }

        for (int i = 0; i < options.VerifiedLabs; i++)
        {
            Add(new VerifiedAiLabAccount(SeedFor(AccountSlots.Special(AccountSlots.VerifiedLabBlock, i))));
        }

        for (int i = 0; i < options.ResaleAccounts; i++)
        {
            Add(new IntermediaryResaleAccount(SeedFor(AccountSlots.Special(AccountSlots.ResaleBlock, i))));
        }

        for (int i = 0; i < options.RestrictedTrainingAccounts; i++)
        {
            Add(new RestrictedTrainingAccount(SeedFor(AccountSlots.Special(AccountSlots.RestrictedTrainingBlock, i))));
        }

        for (int g = 0; g < options.StructuringGroups; g++)
        {
            int firstSlot = AccountSlots.Special(AccountSlots.StructuringBlock, g * AccountSlots.StructuringGroupStride);
            SimRandom groupRandom = SimRandom.Create(options.Seed, firstSlot, GroupStream);
            int members = groupRandom.Between(3, AccountSlots.StructuringGroupStride);
            var seeds = new AccountSeed[members];
            var ids = new string[members];
            for (int m = 0; m < members; m++)
            {
                seeds[m] = SeedFor(firstSlot + m);
                ids[m] = seeds[m].AccountId;
            }

            var group = new StructuringGroup(groupRandom, ids);
            foreach (AccountSeed seed in seeds)
            {
                Add(new StructuringAccount(seed, group));
            }
        }

        for (int i = 0; i < options.CompromiseAccounts; i++)
        {
            Add(new CompromiseSpikeAccount(SeedFor(AccountSlots.Special(AccountSlots.CompromiseBlock, i))));
        }

        // Ids have a fixed width, so ordinal order is numeric order: the generation order, which breaks time ties.
        accounts.Sort(static (a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));
        return accounts;
    }

    private static AccountSimulation Benign(AccountSeed seed)
    {
        SimRandom random = SimRandom.Create(seed.Seed, seed.Slot, ProfileStream);
        return random.PickWeighted([0.22, 0.28, 0.10, 0.40]) switch
        {
            0 => new ResearchLabAccount(seed),
            1 => new SteadyInferenceAccount(seed),
            2 => new EnterpriseReservedAccount(seed),
            _ => new HobbyistSpotAccount(seed),
        };
    }
}
