using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Webhooks.Configuration;

/// <summary>
/// One receiver (section <c>Alerting:Receivers:&lt;name&gt;</c>). <see cref="Url"/>, <see cref="RoutingKey"/>,
/// <see cref="ApiKey"/> and <see cref="HmacKey"/> are secrets: set them from environment variables, e.g.
/// <c>Alerting__Receivers__oncall__RoutingKey</c>. They are never logged.
/// </summary>
public sealed class ReceiverOptions
{
    /// <summary>Gets or sets the receiver type: <c>pagerduty</c>, <c>slack</c>, <c>opsgenie</c>, <c>alertmanager</c> or <c>webhook</c>.</summary>
    /// <value>Required.</value>
    public ReceiverType? Type { get; set; }

    /// <summary>
    /// Gets or sets the endpoint. PagerDuty: the enqueue URL; Opsgenie: the API base URL (use
    /// <c>https://api.eu.opsgenie.com</c> for the EU instance); Slack: the incoming-webhook URL (a secret);
    /// Alertmanager: its base URL, e.g. <c>http://alertmanager:9093</c>; webhook: the URL to POST to.
    /// </summary>
    /// <value>The default value is <c>https://events.pagerduty.com/v2/enqueue</c> for PagerDuty, <c>https://api.opsgenie.com</c> for Opsgenie; required for the others.</value>
    public string? Url { get; set; }

    /// <summary>Gets or sets the PagerDuty integration (routing) key, a secret.</summary>
    /// <value>Required for PagerDuty.</value>
    public string? RoutingKey { get; set; }

    /// <summary>Gets or sets the Opsgenie API integration key, a secret.</summary>
    /// <value>Required for Opsgenie.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the key that signs generic webhook bodies (HMAC-SHA256 over the UTF-8 of the key), a secret.</summary>
    /// <value>Required for webhook, at least 16 characters.</value>
    public string? HmacKey { get; set; }

    /// <summary>Gets or sets the source named in PagerDuty events and Opsgenie alerts.</summary>
    /// <value>The default value is <c>usage-sentinel</c>.</value>
    [Required, StringLength(100)]
    public string Source { get; set; } = WebhooksConstants.DefaultSource;

    /// <summary>
    /// Gets or sets the cooldown of one incident (dedup key): after a delivery, further updates of the incident wait
    /// until the cooldown has passed and only the latest of them is sent. Resolutions are not held back.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets or sets how long Slack and Alertmanager receivers wait after the first alert is due to collect more alerts
    /// into the same message. Other types send one request per alert.
    /// </summary>
    /// <value>The default value is 0 (send what is due at once, still in one message).</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan GroupWindow { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the most alerts in one Slack message or one Alertmanager request.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 15)]
    public int MaxGroupSize { get; set; } = 10;

    /// <summary>Gets or sets the requests allowed per <see cref="RateLimitPeriod"/>; 0 means no limit.</summary>
    /// <value>The default value is 1 for Slack (its limit is about one message per second per webhook), 0 for the others.</value>
    [Range(0, 10_000)]
    public int? RateLimitPermits { get; set; }

    /// <summary>Gets or sets the period of <see cref="RateLimitPermits"/>.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RateLimitPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the timeout of one HTTP attempt.</summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the retries of one delivery on 408, 429, 5xx and network errors, before it is put back in the outbox.</summary>
    /// <value>The default value is 3.</value>
    [Range(0, 10)]
    public int RetryCount { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the jittered exponential backoff between retries (a <c>Retry-After</c> header wins).</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait between two attempts, including <c>Retry-After</c> and the wait between rounds of retries while a receiver is down.</summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long the receiver's circuit stays open after half of at least 3 attempts in 30 seconds failed.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an accepted alert is retried before it goes to the dead-letter sink (reason <c>expired</c>).</summary>
    /// <value>The default value is 24 hours.</value>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxDeliveryAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets, for Alertmanager, how long a firing alert lasts without news: its <c>endsAt</c> is the delivery
    /// time plus this (Alertmanager would otherwise end it after its <c>resolve_timeout</c>, 5 minutes by default).
    /// </summary>
    /// <value>The default value is 24 hours.</value>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan AlertLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets the URL in force: <see cref="Url"/> or the type's default.</summary>
    internal string? EffectiveUrl => Url ?? Type switch
    {
        ReceiverType.PagerDuty => WebhooksConstants.PagerDutyUrl,
        ReceiverType.Opsgenie => WebhooksConstants.OpsgenieUrl,
        _ => null,
    };

    /// <summary>Gets the requests per <see cref="RateLimitPeriod"/> in force (0: no limit).</summary>
    internal int EffectiveRateLimitPermits => RateLimitPermits ?? (Type == ReceiverType.Slack ? 1 : 0);
}
