namespace UsageSentinel.Webhooks.Configuration;

/// <summary>Names and defaults of the webhooks adapter.</summary>
public static class WebhooksConstants
{
    /// <summary>The name of the <see cref="HttpClient"/> all receivers use; each receiver gets its own resilience pipeline and circuit.</summary>
    public const string HttpClientName = "UsageSentinel.Webhooks";

    /// <summary>The default <c>source</c> of PagerDuty events and Opsgenie alerts.</summary>
    public const string DefaultSource = "usage-sentinel";

    /// <summary>The default PagerDuty Events API v2 URL.</summary>
    public const string PagerDutyUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The default Opsgenie API base URL.</summary>
    public const string OpsgenieUrl = "https://api.opsgenie.com";

    /// <summary>The header with the Unix time (seconds) at which a generic webhook body was signed.</summary>
    public const string TimestampHeader = "X-UsageSentinel-Timestamp";

    /// <summary>The header with the signature of a generic webhook body: <c>v1=&lt;hex HMAC-SHA256&gt;</c>.</summary>
    public const string SignatureHeader = "X-UsageSentinel-Signature";

    /// <summary>The Alertmanager <c>alertname</c> label of every anomaly alert.</summary>
    public const string AlertName = "UsageSentinelAnomaly";
}
