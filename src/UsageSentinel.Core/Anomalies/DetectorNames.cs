namespace UsageSentinel.Core.Anomalies;

/// <summary>Names of the detectors as they appear in anomalies.</summary>
public static class DetectorNames
{
    /// <summary>Training compute at or projected to restricted scale.</summary>
    public const string TrainingScale = "training_scale";

    /// <summary>Intermediary resale or proxy access.</summary>
    public const string ResaleProxy = "resale_proxy";

    /// <summary>GPU usage against the account's seasonal baseline.</summary>
    public const string UsageDeviation = "usage_deviation";

    /// <summary>Spend against the account's seasonal baseline.</summary>
    public const string BillingDeviation = "billing_deviation";

    /// <summary>An account unlike its peers.</summary>
    public const string PopulationOutlier = "population_outlier";

    /// <summary>A group of linked accounts above a threshold each member stays under.</summary>
    public const string LinkedAccounts = "linked_accounts";
}
