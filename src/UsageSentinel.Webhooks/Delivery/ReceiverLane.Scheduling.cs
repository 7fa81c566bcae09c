using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Delivery;

/// <summary>Which deliveries go next: collapse, cooldown and grouping.</summary>
internal sealed partial class ReceiverLane
{
    /// <summary>
    /// Within each dedup key, in sequence order: a firing update replaces the unsent firing update before it (latest
    /// wins); a resolution replaces the unsent update before it when the receiver already has the incident open.
    /// </summary>
    private void Collapse()
    {
        var last = new Dictionary<string, OutboxEntry>(StringComparer.Ordinal);
        foreach (var entry in _pending.ToArray())
        {
            var key = entry.Content.DedupKey;
            if (last.TryGetValue(key, out var previous) && !previous.Content.IsResolved
                && (!entry.Content.IsResolved || (_keys.TryGetValue(key, out var state) && state.Open)))
            {
                Supersede(previous);
            }

            last[key] = entry;
        }
    }

    private void Supersede(OutboxEntry entry)
    {
        _pending.Remove(entry);
        _outbox.Complete(entry, DeliveryOutcome.Superseded);
        _stats.OnSuperseded();
        _logger.AlertSuperseded(entry.Content.AnomalyId, _receiver.Name);
    }

    /// <summary>Returns the deliveries due now, at most one per dedup key, or none and sets <see cref="_wakeAt"/>.</summary>
    private List<OutboxEntry> Select(DateTimeOffset now)
    {
        _wakeAt = DateTimeOffset.MaxValue;
        var heads = new List<(OutboxEntry Entry, DateTimeOffset Due)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in _pending)
        {
            if (keys.Add(entry.Content.DedupKey))
            {
                heads.Add((entry, DueAt(entry)));
            }

            var expiry = entry.AcceptedAt + Options.MaxDeliveryAge;
            _wakeAt = expiry < _wakeAt ? expiry : _wakeAt;
        }

        if (heads.Count == 0)
        {
            return [];
        }

        var first = heads.Min(h => h.Due);
        var fireAt = _receiver.Format.MaxBatch > 1 ? first + Options.GroupWindow : first;
        fireAt = fireAt > _retryAt ? fireAt : _retryAt;
        if (now < fireAt)
        {
            _wakeAt = fireAt < _wakeAt ? fireAt : _wakeAt;
            return [];
        }

        return heads.Where(h => h.Due <= now).Select(h => h.Entry).Take(_receiver.Format.MaxBatch).ToList();
    }

    /// <summary>A delivery is due when accepted; an update of an incident this lane delivered waits out the cooldown.</summary>
    private DateTimeOffset DueAt(OutboxEntry entry)
    {
        if (!entry.Content.IsResolved && _keys.TryGetValue(entry.Content.DedupKey, out var state))
        {
            var end = state.LastSentAt + Options.Cooldown;
            return end > entry.AcceptedAt ? end : entry.AcceptedAt;
        }

        return entry.AcceptedAt;
    }
}
