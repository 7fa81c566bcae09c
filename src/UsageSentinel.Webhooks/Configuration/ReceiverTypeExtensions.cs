namespace UsageSentinel.Webhooks.Configuration;

/// <summary>Wire names of <see cref="ReceiverType"/>.</summary>
public static class ReceiverTypeExtensions
{
    /// <summary>Returns the configuration name: <c>pagerduty</c>, <c>slack</c>, <c>opsgenie</c>, <c>alertmanager</c> or <c>webhook</c>.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The name.</returns>
    public static string ToWireName(this ReceiverType type) => type switch
    {
        ReceiverType.PagerDuty => "pagerduty",
        ReceiverType.Slack => "slack",
        ReceiverType.Opsgenie => "opsgenie",
        ReceiverType.Alertmanager => "alertmanager",
        _ => "webhook",
    };
}
