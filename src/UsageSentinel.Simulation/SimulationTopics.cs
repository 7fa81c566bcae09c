namespace UsageSentinel.Simulation;

/// <summary>The default topics simulated events travel on (shared/EVENTS.md).</summary>
public static class SimulationTopics
{
    /// <summary><c>instance.*</c> events.</summary>
    public const string InstanceEvents = "gpu.instance-events";

    /// <summary><c>billing.*</c> events.</summary>
    public const string BillingEvents = "billing.events";

    /// <summary><c>account.upserted</c> events (a compacted topic).</summary>
    public const string AccountProfiles = "accounts.profiles";
}
