using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Worker.State;

/// <summary>Durable per-account state (section <c>State</c>): the changelog topic and how often it is written.</summary>
public sealed class StateOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "State";

    /// <summary>
    /// Gets or sets the changelog topic. It must have as many partitions as each input topic (accounts are keyed by
    /// <c>account_id</c> everywhere, so partition <i>p</i> of the changelog holds the state of the accounts of partition
    /// <i>p</i> of every input topic); compacted in production. Created with that many partitions when missing.
    /// </summary>
    /// <value>The default value is <c>usage-sentinel.state</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Topic { get; set; } = "usage-sentinel.state";

    /// <summary>
    /// Gets or sets the links topic: how linked-account groups span workers. Every worker writes the identifiers its
    /// accounts use (hashed) and the figures of its accounts in groups, and reads the whole topic into its link graph;
    /// each group is judged by the owner of its first member's partition. Compacted in production; created when missing.
    /// </summary>
    /// <value>The default value is <c>usage-sentinel.links</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string LinksTopic { get; set; } = "usage-sentinel.links";

    /// <summary>
    /// Gets or sets the population topic: every worker writes each partition's daily population snapshot there (in
    /// chunks) and trains the <c>population_outlier</c> model on the newest snapshot of every partition, its own and
    /// the other workers'. Compacted in production; created when missing.
    /// </summary>
    /// <value>The default value is <c>usage-sentinel.population</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string PopulationTopic { get; set; } = "usage-sentinel.population";

    /// <summary>
    /// Gets or sets how often the accounts changed since the last checkpoint are written to the changelog, with the
    /// input position they reflect. After a crash at most this much input is read again (never applied twice).
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long restoring one partition's state may take before the worker stops with an error.</summary>
    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RestoreTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
