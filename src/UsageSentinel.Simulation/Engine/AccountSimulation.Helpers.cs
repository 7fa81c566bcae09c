using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Engine;

/// <summary>Small helpers the scenarios share.</summary>
internal abstract partial class AccountSimulation
{
    /// <summary>The model FLOP utilisation used to size clusters (the detectors' default assumption).</summary>
    public const double Utilisation = 0.35;

    /// <summary>Effective FLOP/s of one instance of <paramref name="type"/> at <see cref="Utilisation"/>.</summary>
    public static double FlopPerSecond(SimInstanceType type) => type.DenseBf16Tflops * 1e12 * Utilisation * type.GpuCount;

    protected ScenarioLabel BenignLabel(string scenario) => new(AccountId, scenario, false, null, [], []);

    protected ScenarioLabel AbusiveLabel(string scenario, DateTimeOffset abuseStart, string detector, string[]? linked = null) =>
        new(AccountId, scenario, true, abuseStart, linked ?? [], [detector]);

    /// <summary>The index of the simulated day holding <paramref name="time"/>.</summary>
    protected int DayIndexOf(DateTimeOffset time) => (int)((time - PeriodStart).Ticks / TimeSpan.TicksPerDay);

    /// <summary>A whole-second instant <paramref name="fraction"/> of the way through the period.</summary>
    protected DateTimeOffset AtFraction(double fraction) =>
        LocalClock.Truncate(PeriodStart + TimeSpan.FromSeconds(Seed.Duration.TotalSeconds * fraction));

    protected DateTimeOffset CreatedDaysBefore(int minDays, int maxDays) =>
        PeriodStart.AddDays(-Random.Between(minDays, maxDays)).AddSeconds(-Random.Below(86_400));

    protected PaymentPlan MonthlyPayment(string kind, Country country) =>
        new(Names.PaymentFingerprint(Random), kind, country.Code, country.Code, ThirdParty: false, CycleDays: Random.Between(27, 30));

    protected Principal[] People(int count, IReadOnlyList<Network> networks)
    {
        var people = new Principal[count];
        for (int i = 0; i < count; i++)
        {
            people[i] = NewPrincipal(Names.Person(Random), Random.Pick(networks).NewOrigin(Random));
        }

        return people;
    }

    protected static CloudProvider AnyProvider(Randomness.SimRandom random) => (CloudProvider)random.Below(3);

    protected static string KycOf(Randomness.SimRandom random, double verified, double pending) =>
        random.NextDouble() switch
        {
            var x when x < verified => "verified",
            var x when x < verified + pending => "pending",
            _ => "unverified",
        };
}
