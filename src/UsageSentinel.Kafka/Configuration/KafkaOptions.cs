using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Kafka.Configuration;

/// <summary>Kafka connection, topics and client settings (section <c>Kafka</c>).</summary>
public sealed class KafkaOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Kafka";

    /// <summary>Gets or sets the bootstrap servers, e.g. <c>kafka-1:9092,kafka-2:9092</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Gets or sets the consumer group of the workers.</summary>
    /// <value>The default value is <c>usage-sentinel</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string GroupId { get; set; } = "usage-sentinel";

    /// <summary>The input topics used when none are configured.</summary>
    public static readonly IReadOnlyList<string> DefaultInputTopics = ["gpu.instance-events", "billing.events", "accounts.profiles"];

    /// <summary>Gets or sets the input topics. Empty means <see cref="DefaultInputTopics"/> (configuration binding appends to
    /// a pre-filled array, so the default is applied after binding).</summary>
    /// <value>The default value is <c>gpu.instance-events</c>, <c>billing.events</c>, <c>accounts.profiles</c>.</value>
    public string[] InputTopics { get; set; } = [];

    /// <summary>Gets the input topics in effect.</summary>
    public IReadOnlyList<string> EffectiveInputTopics =>
        InputTopics.Length == 0 ? DefaultInputTopics : [.. InputTopics.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal)];

    /// <summary>Gets or sets the topic anomalies are written to.</summary>
    /// <value>The default value is <c>usage-sentinel.anomalies</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string AnomalyTopic { get; set; } = "usage-sentinel.anomalies";

    /// <summary>Gets or sets the topic bad input goes to, with its reason.</summary>
    /// <value>The default value is <c>usage-sentinel.dead-letter</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string DeadLetterTopic { get; set; } = "usage-sentinel.dead-letter";

    /// <summary>Gets or sets the consumer session timeout: how long a dead worker holds its partitions.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often stored offsets are committed.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets librdkafka settings passed through unchanged to every client (e.g. <c>security.protocol</c>,
    /// <c>sasl.mechanism</c>, <c>sasl.username</c>, <c>sasl.password</c>, <c>ssl.ca.location</c>). Values are
    /// secrets: they are never logged. Set them through environment variables, e.g.
    /// <c>USAGESENTINEL__Kafka__Settings__sasl.password</c>.
    /// </summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);
}
