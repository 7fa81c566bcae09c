using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageSentinel.Core.Ports;
using UsageSentinel.Kafka.Configuration;
using UsageSentinel.Kafka.DeadLetters;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// Sends alerts that no receiver took to the dead-letter topic: key the dedup key, value the anomaly JSON, headers
/// <c>x-dead-letter-reason</c> = <c>alert_&lt;reason&gt;</c>, <c>x-dead-letter-message</c> (secrets already masked),
/// <c>x-alert-receiver</c>, <c>x-alert-receiver-type</c>, <c>x-alert-attempts</c>, <c>x-anomaly-id</c>.
/// </summary>
public sealed class KafkaUndeliverableAlertSink : IUndeliverableAlertSink, IDisposable
{
    private readonly KafkaOptions _kafka;
    private readonly ILogger<KafkaUndeliverableAlertSink> _logger;
    private readonly Lazy<IProducer<string, byte[]>> _producer;

    /// <summary>Initializes a new instance of the <see cref="KafkaUndeliverableAlertSink"/> class.</summary>
    /// <param name="kafka">Kafka options: the dead-letter topic and the client settings.</param>
    /// <param name="logger">The logger.</param>
    public KafkaUndeliverableAlertSink(IOptions<KafkaOptions> kafka, ILogger<KafkaUndeliverableAlertSink> logger)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        _kafka = kafka.Value;
        _logger = logger;
        _producer = new(() => new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(_kafka)).SetLogHandler((_, _) => { }).Build());
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(UndeliverableAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes("alert_" + alert.ReasonCode) },
            { DeadLetterHeaders.Message, Encoding.UTF8.GetBytes(alert.Reason) },
            { "x-alert-receiver", Encoding.UTF8.GetBytes(alert.ReceiverName) },
            { "x-alert-receiver-type", Encoding.UTF8.GetBytes(alert.ReceiverType) },
            { "x-alert-attempts", Encoding.UTF8.GetBytes(alert.Attempts.ToString(CultureInfo.InvariantCulture)) },
            { "x-anomaly-id", Encoding.UTF8.GetBytes(alert.AnomalyId) },
        };
        await _producer.Value.ProduceAsync(
            _kafka.DeadLetterTopic,
            new Message<string, byte[]> { Key = alert.DedupKey, Value = alert.AnomalyJson.ToArray(), Headers = headers },
            cancellationToken);
        _logger.AlertDeadLettered(alert.ReceiverName, alert.ReasonCode, alert.DedupKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(10));
            _producer.Value.Dispose();
        }
    }
}
