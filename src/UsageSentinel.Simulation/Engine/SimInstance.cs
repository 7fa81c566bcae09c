using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Engine;

/// <summary>One planned GPU instance: launched at <see cref="Launch"/>, terminated at <see cref="End"/> when that falls in the period.</summary>
internal sealed class SimInstance
{
    public required string Id { get; init; }

    public required SimInstanceType Type { get; init; }

    public required string Region { get; init; }

    public string? Zone { get; init; }

    public string? PlacementGroup { get; init; }

    public required string PricingModel { get; init; }

    public required DateTimeOffset Launch { get; init; }

    /// <summary>Gets the termination time; <see langword="null"/> while it runs past the period.</summary>
    public DateTimeOffset? End { get; set; }

    public string? TerminationReason { get; set; }

    public Principal? Caller { get; init; }

    /// <summary>Gets where the launch call came from, when not the caller's usual network.</summary>
    public NetworkOrigin? CallerOrigin { get; init; }

    public string? SshKeyFingerprint { get; init; }

    public string? PayerAccountId { get; init; }

    public string? ResellerId { get; init; }

    /// <summary>Gets the price factor of the pricing model (spot and reserved are cheaper).</summary>
    public decimal PriceFactor => PricingModel switch
    {
        PricingModels.Spot => 0.35m,
        PricingModels.Reserved => 0.6m,
        PricingModels.CapacityBlock => 0.9m,
        _ => 1m,
    };

    public bool RunsAt(DateTimeOffset time) => Launch <= time && (End is null || End > time);
}
