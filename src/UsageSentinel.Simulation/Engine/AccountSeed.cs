namespace UsageSentinel.Simulation.Engine;

/// <summary>What fixes an account's randomness and period: the seed, its slot and id, and the simulated period.</summary>
internal sealed record AccountSeed(int Seed, int Slot, string AccountId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd)
{
    public TimeSpan Duration => PeriodEnd - PeriodStart;
}
