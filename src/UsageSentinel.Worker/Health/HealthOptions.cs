using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Worker.Health;

/// <summary>The worker's liveness and readiness HTTP endpoints (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Health";

    /// <summary>Gets or sets whether the worker serves <c>/health/live</c> and <c>/health/ready</c>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets the address the endpoints listen on: an IP address, <c>localhost</c>, or <c>0.0.0.0</c>
    /// (also <c>*</c> or <c>+</c>) for every IPv4 interface, which a container needs for probes from outside it.
    /// </summary>
    /// <value>The default value is <c>0.0.0.0</c>.</value>
    [Required]
    public string Address { get; set; } = HealthConstants.AnyAddress;

    /// <summary>Gets or sets the TCP port of the endpoints.</summary>
    /// <value>The default value is 8080.</value>
    [Range(1, 65_535)]
    public int Port { get; set; } = 8_080;

    /// <summary>
    /// Gets or sets how long the consume loop may go without polling Kafka before liveness fails. The loop polls
    /// at least every 100 ms, also while paused or while the broker is unreachable.
    /// </summary>
    /// <value>The default value is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LivenessStallTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
