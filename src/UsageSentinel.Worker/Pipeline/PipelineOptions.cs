using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>Shape of the ingest → detect → publish pipeline (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>Gets or sets the number of detection loops; accounts are sharded across them by key. 0 means one per core.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 256)]
    public int Shards { get; set; }

    /// <summary>Gets or sets the capacity of each detection loop's channel; when one is full, consumption is held until it is half empty.</summary>
    /// <value>The default value is 4,096 events.</value>
    [Range(16, 1_000_000)]
    public int ChannelCapacity { get; set; } = 4_096;

    /// <summary>Gets or sets how long shutdown waits for outstanding anomaly and dead-letter deliveries.</summary>
    /// <value>The default value is 20 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how often the worker logs its progress.</summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the effective number of shards.</summary>
    public int EffectiveShards => Shards > 0 ? Shards : Math.Max(1, Environment.ProcessorCount);
}
