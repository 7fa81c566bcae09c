using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Core.Ports;
using UsageSentinel.Webhooks.Configuration;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>
/// Delivers one receiver's deliveries from the outbox, one loop: collapses updates (latest wins), holds updates of an
/// incident for its cooldown, groups what is due for Slack and Alertmanager, paces requests by the rate limit, sends
/// through the receiver's resilience pipeline, and on failure keeps everything in the outbox and backs off. Owns all
/// its state; only the <see cref="DeliveryQueue"/> is shared.
/// </summary>
internal sealed partial class ReceiverLane : IDisposable
{
    private const int MaxKeyStates = 4_096;
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly Receiver _receiver;
    private readonly DeliveryQueue _queue;
    private readonly AlertOutbox _outbox;
    private readonly IHttpClientFactory _clients;
    private readonly IUndeliverableAlertSink _sink;
    private readonly TimeProvider _time;
    private readonly AlertingStats _stats;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly List<OutboxEntry> _pending = [];
    private readonly Dictionary<string, KeyState> _keys = new(StringComparer.Ordinal);
    private readonly TokenBucketRateLimiter? _limiter;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private DateTimeOffset _wakeAt = DateTimeOffset.MaxValue;
    private int _failures;
    private string _lastError = "none";

    public ReceiverLane(
        Receiver receiver,
        AlertOutbox outbox,
        IHttpClientFactory clients,
        IUndeliverableAlertSink sink,
        TimeProvider timeProvider,
        AlertingStats stats,
        ILogger logger,
        Random random)
    {
        _receiver = receiver;
        _outbox = outbox;
        _queue = outbox.QueueFor(receiver.Name);
        _clients = clients;
        _sink = sink;
        _time = timeProvider;
        _stats = stats;
        _logger = logger;
        _random = random;
        var permits = receiver.Options.EffectiveRateLimitPermits;
        if (permits > 0)
        {
            // The token bucket replenishes on its own timer, on the system clock (it measures elapsed time itself).
            var period = receiver.Options.RateLimitPeriod;
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = permits,
                ReplenishmentPeriod = period,
                AutoReplenishment = true,
                QueueLimit = 1,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    private ReceiverOptions Options => _receiver.Options;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.LaneStarted(_receiver.Name, _receiver.TypeName, Options.EffectiveRateLimitPermits);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Isolation boundary: one receiver's failure must not stop it or the others; logged and retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LaneFailed(_receiver.Name, ex.GetType().Name, _receiver.Mask.Apply(ex.Message));
                OnTransientFailure(ex.GetType().Name, null);
            }
        }
    }

    public void Dispose()
    {
        _limiter?.Dispose();
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var batch = await PrepareAsync(cancellationToken);
        if (batch.Count == 0)
        {
            await WaitAsync(cancellationToken);
            return;
        }

        if (_limiter is not null)
        {
            using var lease = _limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                _stats.OnRateLimitWait();
                using var waited = await _limiter.AcquireAsync(1, cancellationToken);
                if (!waited.IsAcquired)
                {
                    return;
                }

                // More may have arrived while waiting: they go in the same message.
                batch = await PrepareAsync(cancellationToken);
            }
        }

        if (batch.Count > 0)
        {
            await DeliverAsync(batch, cancellationToken);
        }
    }

    /// <summary>Takes new deliveries, dead-letters expired ones, collapses updates and returns the batch due now (or sets <see cref="_wakeAt"/>).</summary>
    private async ValueTask<List<OutboxEntry>> PrepareAsync(CancellationToken cancellationToken)
    {
        Drain();
        var now = _time.GetUtcNow();
        foreach (var entry in _pending.Where(e => now - e.AcceptedAt >= Options.MaxDeliveryAge).ToArray())
        {
            await DeadLetterAsync(
                entry,
                UndeliverableAlert.ReasonExpired,
                $"Not delivered within the maximum delivery age of {Options.MaxDeliveryAge}; last error: {_lastError}.",
                cancellationToken);
        }

        Collapse();
        return Select(now);
    }

    private void Drain()
    {
        while (_queue.TryTake(out var entry))
        {
            var index = _pending.Count;
            while (index > 0 && _pending[index - 1].Sequence > entry.Sequence)
            {
                index--;
            }

            _pending.Insert(index, entry);
        }
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var arrival = _queue.WaitAsync(wake.Token);
        if (_wakeAt == DateTimeOffset.MaxValue)
        {
            await Task.WhenAny(arrival, Task.Delay(Timeout.InfiniteTimeSpan, wake.Token));
        }
        else
        {
            var delay = _wakeAt - _time.GetUtcNow();
            delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxWait ? MaxWait : delay;
            await Task.WhenAny(arrival, Task.Delay(delay, _time, wake.Token));
        }

        await wake.CancelAsync();
    }

    private async Task DeliverAsync(List<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        foreach (var entry in batch)
        {
            entry.SeverityAtReceiver = _keys.TryGetValue(entry.Content.DedupKey, out var state) && state.Open ? state.Severity : null;
        }

        var counter = new AttemptCounter();
        var result = await SendAsync(batch, counter, cancellationToken);
        foreach (var entry in batch)
        {
            entry.Attempts += counter.Count;
        }

        switch (result.Kind)
        {
            case SendResultKind.Delivered:
                OnDelivered(batch, counter.Count);
                break;
            case SendResultKind.Rejected:
                _failures = 0;
                _retryAt = DateTimeOffset.MinValue;
                foreach (var entry in batch)
                {
                    await DeadLetterAsync(entry, UndeliverableAlert.ReasonRejected, result.Reason, cancellationToken);
                }

                break;
            default:
                OnTransientFailure(result.Reason, result.RetryAfter);
                break;
        }
    }

    private void OnDelivered(List<OutboxEntry> batch, int attempts)
    {
        var now = _time.GetUtcNow();
        _failures = 0;
        _retryAt = DateTimeOffset.MinValue;
        foreach (var entry in batch)
        {
            var content = entry.Content;
            _pending.Remove(entry);
            _outbox.Complete(entry, DeliveryOutcome.Delivered);
            _stats.OnDelivered();
            if (content.IsResolved)
            {
                _keys.Remove(content.DedupKey);
            }
            else
            {
                _keys[content.DedupKey] = new KeyState(true, content.Severity, now);
            }

            _logger.AlertDelivered(content.AnomalyId, _receiver.Name, AnomalyJson.StatusName(content.Status), attempts);
        }

        if (_keys.Count > MaxKeyStates)
        {
            // Forget incidents whose cooldown is long over; keeps the lane's memory bounded.
            foreach (var key in _keys.Where(k => now - k.Value.LastSentAt > Options.Cooldown + Options.MaxDeliveryAge).Select(k => k.Key).ToArray())
            {
                _keys.Remove(key);
            }
        }
    }

    private void OnTransientFailure(string reason, TimeSpan? retryAfter)
    {
        _failures++;
        _lastError = reason;
        var exponential = Options.RetryDelay * Math.Pow(2, Math.Min(_failures - 1, 20));
        var cap = Options.MaxRetryDelay;
        var delay = exponential > cap ? cap : exponential;
        delay = (delay / 2) + (delay / 2 * _random.NextDouble());
        if (retryAfter is { } hint && hint > delay)
        {
            delay = hint > cap ? cap : hint;
        }

        _retryAt = _time.GetUtcNow() + delay;
        _logger.DeliveryFailed(_receiver.Name, _pending.Count, reason, (long)delay.TotalMilliseconds);
    }

    private async Task DeadLetterAsync(OutboxEntry entry, string reasonCode, string reason, CancellationToken cancellationToken)
    {
        var content = entry.Content;
        await _sink.PublishAsync(
            new UndeliverableAlert(_receiver.Name, _receiver.TypeName, content.AnomalyId, content.DedupKey, reasonCode, reason, entry.Attempts, content.Json),
            cancellationToken);
        _pending.Remove(entry);
        _outbox.Complete(entry, DeliveryOutcome.DeadLettered);
        _stats.OnDeadLettered();
        _logger.AlertDeadLettered(content.AnomalyId, _receiver.Name, reasonCode, reason);
    }

    /// <summary>What this lane last delivered for one dedup key.</summary>
    private sealed record KeyState(bool Open, Severity Severity, DateTimeOffset LastSentAt);
}
