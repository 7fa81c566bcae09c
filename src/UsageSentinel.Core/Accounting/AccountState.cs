using UsageSentinel.Core.Behaviour;

namespace UsageSentinel.Core.Accounting;

/// <summary>Everything one detection loop keeps about one account. Owned by that loop.</summary>
internal sealed class AccountState
{
    /// <summary>The most terminations without a known launch kept per account.</summary>
    public const int MaxOrphanTerminations = 256;

    private string? _declaredCountry;

    public AccountState(string accountId, int rollingDays, int tiers)
    {
        AccountId = accountId;
        Daily = new DailyComputeWindow(rollingDays);
        RunTierCrossedTicks = new long[tiers];
        RunTierProjectedTicks = new long[tiers];
        Array.Fill(RunTierCrossedTicks, long.MinValue);
        Array.Fill(RunTierProjectedTicks, long.MinValue);
    }

    public string AccountId { get; }

    /// <summary>Gets or sets what the account took from each input stream; created by the first positioned offer.</summary>
    public List<InputTrack>? Inputs { get; set; }

    /// <summary>Returns the track of <paramref name="stream"/>, creating it.</summary>
    public InputTrack Track(long stream)
    {
        Inputs ??= [];
        foreach (var track in Inputs)
        {
            if (track.Stream == stream)
            {
                return track;
            }
        }

        var created = new InputTrack(stream);
        Inputs.Add(created);
        return created;
    }

    public bool Allowlisted { get; set; }

    public string? DeclaredCountry
    {
        get => _declaredCountry;
        set
        {
            _declaredCountry = value;
            DeclaredUtcOffsetHours = CountryTimeZones.TryGetOffset(value, out var offset) ? offset : 0;
        }
    }

    /// <summary>Gets the UTC offset of the declared country's business time zone; 0 when unknown or undeclared.</summary>
    /// <remarks>Looked up once per change of the country, not on every evaluation.</remarks>
    public int DeclaredUtcOffsetHours { get; private set; }

    public string? KycStatus { get; set; }

    public string? EntityType { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public Dictionary<string, OpenInstance> OpenInstances { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> OrphanTerminations { get; } = new(StringComparer.Ordinal);

    public ComputeAccrual Compute { get; } = new();

    public DailyComputeWindow Daily { get; }

    /// <summary>Gets the runs of the account that are running or may still resume, in creation order.</summary>
    public List<ComputeRun> Runs { get; } = [];

    /// <summary>Gets or sets since when GPUs have run without a break; <see cref="long.MinValue"/> when none run.</summary>
    public long ActiveSinceTicks { get; set; } = long.MinValue;

    public long FirstSeenTicks { get; set; } = long.MinValue;

    public long LastEventTicks { get; set; } = long.MinValue;

    /// <summary>Gets when a single run last crossed each tier, to keep the rolling total from repeating it.</summary>
    public long[] RunTierCrossedTicks { get; }

    /// <summary>Gets when a single run last projected each tier.</summary>
    public long[] RunTierProjectedTicks { get; }

    public int RollingCrossedMask { get; set; }

    public int RollingProjectedMask { get; set; }

    public bool RollingIncidentOpen { get; set; }

    public long RollingIncidentOpenedTicks { get; set; }

    /// <summary>Gets or sets the behaviour the resale / proxy detector looks at; created on first use.</summary>
    public Behaviour.AccountBehaviour? Behaviour { get; set; }

    /// <summary>Gets or sets the usage and spend baselines; created on first use.</summary>
    public Behaviour.UsageProfile? Usage { get; set; }

    /// <summary>Gets or sets the <c>population_outlier</c> finding; created at the first scoring.</summary>
    public Detectors.PopulationOutlierState? Population { get; set; }

    public bool ResaleIncidentOpen { get; set; }

    public int ResaleIncidentNumber { get; set; }

    public Anomalies.Severity ResaleSeverity { get; set; }

    public double ResaleEvidence { get; set; }

    /// <summary>Gets or sets whether the account changed since its state was last exported (change tracking only).</summary>
    public bool Changed { get; set; }

    /// <summary>Gets or sets whether the account is in its loop's list of accounts to sweep.</summary>
    public bool InSweepList { get; set; }

    /// <summary>
    /// Gets or sets the account's place in the sweep list (its loop's sequence number when it joined): sweeps run in
    /// this order, which a restore rebuilds, because peer baselines learn from accounts in the order they are swept.
    /// </summary>
    public long SweepOrder { get; set; }

    /// <summary>Gets whether there is anything left to evaluate on a sweep.</summary>
    public bool NeedsSweep => Compute.RunningGpus > 0 || Runs.Count > 0 || RollingIncidentOpen || ResaleIncidentOpen || Usage is { UsageIncidentOpen: true };
}
