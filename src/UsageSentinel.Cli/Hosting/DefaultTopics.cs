namespace UsageSentinel.Cli.Hosting;

/// <summary>The topics the worker reads and writes by default.</summary>
internal static class DefaultTopics
{
    public const string InstanceEvents = "gpu.instance-events";
    public const string BillingEvents = "billing.events";
    public const string AccountProfiles = "accounts.profiles";
    public const string Anomalies = "usage-sentinel.anomalies";
    public const string DeadLetter = "usage-sentinel.dead-letter";
    public const string State = "usage-sentinel.state";
    public const string Links = "usage-sentinel.links";
    public const string Population = "usage-sentinel.population";

    public static string[] Inputs { get; } = [InstanceEvents, BillingEvents, AccountProfiles];
}
