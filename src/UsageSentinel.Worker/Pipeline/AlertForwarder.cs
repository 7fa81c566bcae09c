using Microsoft.Extensions.Logging;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>
/// Hands each anomaly to the alert notifier (the durable outbox) and holds the raising event's offset until the
/// outbox has accepted it: an alert is never lost between Kafka and the receivers. A failed hand-over (e.g. the
/// outbox's disk) is retried with backoff; on shutdown the offset stays held and the event is consumed again.
/// </summary>
internal sealed class AlertForwarder(IAlertNotifier notifier, ILogger logger, CancellationToken stopping)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private int _inFlight;

    /// <summary>Gets the hand-overs not yet accepted by the outbox.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void Forward(AnomalyDetected anomaly, PendingEvent pending)
    {
        pending.Add();
        Interlocked.Increment(ref _inFlight);
        _ = ForwardAsync(anomaly, pending);
    }

    private async Task ForwardAsync(AnomalyDetected anomaly, PendingEvent pending)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await notifier.NotifyAsync(anomaly, stopping);
                Interlocked.Decrement(ref _inFlight);
                pending.Release();
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // isolation boundary: the offset stays held and the hand-over is retried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.AlertHandOverFailed(ex, anomaly.DedupKey, (long)delay.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
        }
    }
}
