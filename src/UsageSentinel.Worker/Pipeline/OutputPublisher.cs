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
    private readonly SortedSet<long> _undelivered = [];
    private long _sequence;

    public ConcurrentQueue<RetryItem> Retries { get; } = new();

    /// <summary>Gets the sequence number of the last output published; every later one gets a higher one.</summary>
    public long IssuedSequence => Interlocked.Read(ref _sequence);

    /// <summary>Gets whether every output up to <paramref name="sequence"/> is delivered (failed ones count until they succeed).</summary>
    public bool DeliveredThrough(long sequence)
    {
        lock (_undelivered)
        {
            return _undelivered.Count == 0 || _undelivered.Min > sequence;
        }
    }

    public IProducer<string, byte[]> Producer => producer;

    public void Publish(string topic, Message<string, byte[]> message, PendingEvent pending, bool isAnomaly)
    {
        pending.Add();
        long sequence;
        lock (_undelivered)
        {
            sequence = Interlocked.Increment(ref _sequence);
            _undelivered.Add(sequence);
        }

        Send(new RetryItem(topic, message, pending, sequence), isAnomaly);
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

                lock (_undelivered)
                {
                    _undelivered.Remove(item.Sequence);
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
