using System.ComponentModel.DataAnnotations;
using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Webhooks.Configuration;

/// <summary>
/// One routing rule (an item of <c>Alerting:Routes</c>). An anomaly matches when every condition that is set holds;
/// the routes are tried in order and the first match wins, unless it sets <see cref="Continue"/>.
/// </summary>
public sealed class RouteOptions
{
    /// <summary>Gets or sets the detectors that match, e.g. <c>training_scale</c>; empty matches all.</summary>
    /// <value>The default value is empty.</value>
    public string[] Detectors { get; set; } = [];

    /// <summary>Gets or sets the lowest severity that matches: <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    /// <value>The default value is <c>low</c>.</value>
    public Severity MinSeverity { get; set; } = Severity.Low;

    /// <summary>Gets or sets the lowest score that matches, 0..100.</summary>
    /// <value>The default value is 0.</value>
    [Range(0d, 100d)]
    public double MinScore { get; set; }

    /// <summary>
    /// Gets or sets account ids that match. With <see cref="Tags"/>, an account matches when it is listed here or
    /// carries one of the tags; the anomaly's account and its linked accounts are checked. Both empty match all.
    /// </summary>
    /// <value>The default value is empty.</value>
    public string[] Accounts { get; set; } = [];

    /// <summary>Gets or sets account tags that match; tags are assigned in <c>Alerting:AccountTags</c>.</summary>
    /// <value>The default value is empty.</value>
    public string[] Tags { get; set; } = [];

    /// <summary>Gets or sets the receivers that get matching anomalies, by name.</summary>
    /// <value>Required, at least one.</value>
    public string[] Receivers { get; set; } = [];

    /// <summary>Gets or sets whether routes after this one are tried too when it matches.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Continue { get; set; }
}
