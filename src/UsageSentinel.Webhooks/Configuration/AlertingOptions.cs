using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Webhooks.Configuration;

/// <summary>On-call alerting: receivers, routes and the delivery outbox (section <c>Alerting</c>).</summary>
public sealed class AlertingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Alerting";

    /// <summary>Gets or sets the receivers by name, e.g. <c>Alerting:Receivers:oncall</c>.</summary>
    /// <value>The default value is none: alerting is off.</value>
    public Dictionary<string, ReceiverOptions> Receivers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the routing rules, tried in order.</summary>
    /// <value>The default value is none: no anomaly is routed.</value>
    public RouteOptions[] Routes { get; set; } = [];

    /// <summary>Gets or sets tags of accounts by account id, e.g. <c>Alerting:AccountTags:acct-42:0 = strategic</c>, matched by <see cref="RouteOptions.Tags"/>.</summary>
    /// <value>The default value is none.</value>
    public Dictionary<string, string[]> AccountTags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the folder of the durable outbox (its journal and lock file). Use a persistent volume.</summary>
    /// <value>The default value is <c>alert-outbox</c>, relative to the working directory.</value>
    [Required]
    public string OutboxPath { get; set; } = "alert-outbox";

    /// <summary>Gets or sets the most deliveries waiting in the outbox; when it is full, new alerts go to the dead-letter sink (reason <c>outbox_full</c>).</summary>
    /// <value>The default value is 10,000.</value>
    [Range(1, 10_000_000)]
    public int OutboxCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets how many finished deliveries the journal holds before it is rewritten with only the live ones.</summary>
    /// <value>The default value is 1,000.</value>
    [Range(1, 10_000_000)]
    public int OutboxCompactionThreshold { get; set; } = 1_000;

    /// <summary>
    /// Gets or sets how long an open incident (dedup key) is remembered per receiver without news; a same-severity
    /// update after that pages again.
    /// </summary>
    /// <value>The default value is 7 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan IncidentRetention { get; set; } = TimeSpan.FromDays(7);
}
