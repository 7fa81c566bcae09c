using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Simulation;

/// <summary>Options of a simulated population: its size, its period and how many accounts play each abusive scenario.</summary>
public sealed class SimulationOptions
{
    /// <summary>The configuration section the CLI binds.</summary>
    public const string SectionName = "Simulation";

    /// <summary>The most benign accounts one population may hold.</summary>
    public const int MaxAccounts = 500_000;

    /// <summary>The most accounts (or groups) of any one special scenario.</summary>
    public const int MaxScenarioAccounts = 1_000;

    /// <summary>Gets or sets the seed; the same options give byte-identical output.</summary>
    /// <value>The default value is 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets the number of benign accounts (research labs, inference fleets, reserved enterprises, hobbyists).</summary>
    /// <value>The default value is 200 accounts.</value>
    [Range(0, MaxAccounts)]
    public int Accounts { get; set; } = 200;

    /// <summary>Gets or sets the start of the simulated period; converted to UTC and truncated to whole seconds.</summary>
    /// <value>The default value is 2026-03-01T00:00:00Z.</value>
    public DateTimeOffset Start { get; set; } = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Gets or sets the length of the simulated period.</summary>
    /// <value>The default value is 30 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "366.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets the number of intermediary resale accounts.</summary>
    /// <value>The default value is 2 accounts.</value>
    [Range(0, MaxScenarioAccounts)]
    public int ResaleAccounts { get; set; } = 2;

    /// <summary>Gets or sets the number of accounts training at restricted scale.</summary>
    /// <value>The default value is 1 account.</value>
    [Range(0, MaxScenarioAccounts)]
    public int RestrictedTrainingAccounts { get; set; } = 1;

    /// <summary>Gets or sets the number of structuring groups, each of 3 or 4 linked accounts.</summary>
    /// <value>The default value is 1 group.</value>
    [Range(0, MaxScenarioAccounts)]
    public int StructuringGroups { get; set; } = 1;

    /// <summary>Gets or sets the number of compromised accounts.</summary>
    /// <value>The default value is 1 account.</value>
    [Range(0, MaxScenarioAccounts)]
    public int CompromiseAccounts { get; set; } = 1;

    /// <summary>Gets or sets the number of verified, allowlisted AI labs (benign, but large).</summary>
    /// <value>The default value is 1 account.</value>
    [Range(0, MaxScenarioAccounts)]
    public int VerifiedLabs { get; set; } = 1;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A property is out of range; the exception names it.</exception>
    public void Validate()
    {
        CheckCount(Accounts, MaxAccounts, nameof(Accounts));
        CheckCount(ResaleAccounts, MaxScenarioAccounts, nameof(ResaleAccounts));
        CheckCount(RestrictedTrainingAccounts, MaxScenarioAccounts, nameof(RestrictedTrainingAccounts));
        CheckCount(StructuringGroups, MaxScenarioAccounts, nameof(StructuringGroups));
        CheckCount(CompromiseAccounts, MaxScenarioAccounts, nameof(CompromiseAccounts));
        CheckCount(VerifiedLabs, MaxScenarioAccounts, nameof(VerifiedLabs));
        if (Duration < TimeSpan.FromHours(1) || Duration > TimeSpan.FromDays(366))
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "The duration must be between 1 hour and 366 days.");
        }

        // Events are written with whole-second, four-digit-year timestamps.
        DateTimeOffset utc = Start.ToUniversalTime();
        if (utc.Year < 2000 || utc.Add(Duration).Year > 9000)
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "The start must lie between the years 2000 and 9000.");
        }
    }

    internal SimulationOptions Snapshot()
    {
        Validate();
        DateTimeOffset utc = Start.ToUniversalTime();
        return new SimulationOptions
        {
            Seed = Seed,
            Accounts = Accounts,
            Start = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            Duration = TimeSpan.FromSeconds(Math.Floor(Duration.TotalSeconds)),
            ResaleAccounts = ResaleAccounts,
            RestrictedTrainingAccounts = RestrictedTrainingAccounts,
            StructuringGroups = StructuringGroups,
            CompromiseAccounts = CompromiseAccounts,
            VerifiedLabs = VerifiedLabs,
        };
    }

    private static void CheckCount(int value, int max, string name)
    {
        if (value < 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 0 and {max}.");
        }
    }
}
