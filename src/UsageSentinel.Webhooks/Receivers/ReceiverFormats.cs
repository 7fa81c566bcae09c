using UsageSentinel.Webhooks.Configuration;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>Creates the format of a receiver type.</summary>
internal static class ReceiverFormats
{
    public static IReceiverFormat Create(ReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Type switch
        {
            ReceiverType.PagerDuty => new PagerDutyFormat(options),
            ReceiverType.Slack => new SlackFormat(options),
            ReceiverType.Opsgenie => new OpsgenieFormat(options),
            ReceiverType.Alertmanager => new AlertmanagerFormat(options),
            ReceiverType.Webhook => new WebhookFormat(options),
            _ => throw new ArgumentException("The receiver has no type.", nameof(options)),
        };
    }
}
