namespace UsageSentinel.Simulation;

/// <summary>The detector names used in <see cref="ScenarioLabel.ExpectedDetectors"/> (the anomaly contract's <c>detector</c>).</summary>
internal static class DetectorNames
{
    public const string ResaleProxy = "resale_proxy";
    public const string TrainingScale = "training_scale";
    public const string LinkedAccounts = "linked_accounts";
    public const string UsageDeviation = "usage_deviation";
    public const string BillingDeviation = "billing_deviation";
}
