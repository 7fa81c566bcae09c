namespace UsageSentinel.Webhooks.Configuration;

/// <summary>The kind of on-call tool a receiver posts to.</summary>
public enum ReceiverType
{
    /// <summary>PagerDuty Events API v2.</summary>
    PagerDuty,

    /// <summary>A Slack incoming webhook.</summary>
    Slack,

    /// <summary>Opsgenie Alert API v2.</summary>
    Opsgenie,

    /// <summary>Prometheus Alertmanager, <c>/api/v2/alerts</c>.</summary>
    Alertmanager,

    /// <summary>Any HTTPS endpoint: the anomaly JSON, signed with HMAC-SHA256.</summary>
    Webhook,
}
