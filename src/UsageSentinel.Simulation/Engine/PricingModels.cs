namespace UsageSentinel.Simulation.Engine;

/// <summary>The contract's <c>pricing_model</c> values.</summary>
internal static class PricingModels
{
    public const string OnDemand = "on_demand";
    public const string Spot = "spot";
    public const string Reserved = "reserved";
    public const string CapacityBlock = "capacity_block";
}
