using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// Produces output messages with the shared idempotent producer. A failed delivery is queued for the consume loop
/// to produce again; the waiting event is released only after success, so its offset is never stored before.
/// </summary>
internal sealed class OutputPublisher(IProducer<string, byte[]> producer, PipelineCounters counters, ILogger logger)
{
    public ConcurrentQueue<RetryItem> Retries { get; } = new();

    public IProducer<string, byte[]> Producer => producer;

    public void Publish(string topic, Message<string, byte[]> message, PendingEvent pending, bool isAnomaly)
    {
        pending.Add();
        Send(new RetryItem(topic, message, pending), isAnomaly);
    }

    /// <summary>Produces the queued retries again; called by the consume loop.</summary>
    /// <param name="max">The most to retry now.</param>
    public void RetryFailed(int max)
    {
        for (var i = 0; i < max && Retries.TryDequeue(out var item); i++)
        {
            Send(item, isAnomaly: true);
        }
    }

    private void Send(RetryItem item, bool isAnomaly)
    {
        try
        {
            producer.Produce(item.Topic, item.Message, report =>
            {
                if (report.Error.IsError)
                {
                    Fail(item, report.Error);
                    return;
                }

                if (isAnomaly)
                {
                    counters.AddAnomalyPublished();
                }

                item.Pending.Release();
            });
        }
        catch (ProduceException<string, byte[]> ex)
        {
            Fail(item, ex.Error);
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            Fail(item, ex.Error);
        }
    }

    private void Fail(RetryItem item, Error error)
    {
        counters.AddPublishFailure();
        logger.PublishFailed(item.Topic, error.Code.ToString());
        Retries.Enqueue(item);
    }
}
