using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Webhooks.Outbox;

/// <summary>
/// What each receiver was last given per dedup key, rebuilt from the journal: decides whether a new anomaly is a
/// duplicate or an update that does not raise the severity (suppressed), or news (accepted). Not thread-safe; the
/// outbox calls it under its lock.
/// </summary>
internal sealed class IncidentTable(TimeSpan retention)
{
    private const int RememberedIds = 8;

    private readonly Dictionary<(string Receiver, string DedupKey), Incident> _incidents = [];

    public int Count => _incidents.Count;

    /// <summary>Decides whether <paramref name="content"/> is news for <paramref name="receiver"/>.</summary>
    /// <param name="receiver">The receiver.</param>
    /// <param name="content">The anomaly.</param>
    /// <param name="now">The wall-clock time.</param>
    /// <param name="previous">The severity of the receiver's open incident, when there is one.</param>
    /// <returns>Whether to accept it.</returns>
    public bool ShouldAccept(string receiver, AlertContent content, DateTimeOffset now, out Severity? previous)
    {
        previous = null;
        var key = (receiver, content.DedupKey);
        if (_incidents.TryGetValue(key, out var incident) && now - incident.LastAt >= retention)
        {
            _incidents.Remove(key);
            incident = null;
        }

        if (incident is not null && incident.RecentIds.Contains(content.AnomalyId))
        {
            // A redelivered anomaly.
            return false;
        }

        if (incident is not { Open: true })
        {
            // A new incident (or a new opening after a resolution); nothing to resolve if it was never open.
            return !content.IsResolved;
        }

        previous = incident.Severity;
        if (content.IsResolved || content.Severity > incident.Severity)
        {
            return true;
        }

        incident.Remember(content.AnomalyId, now);
        return false;
    }

    /// <summary>Records an accepted delivery (live or replayed from the journal).</summary>
    public void Apply(OutboxEntry entry)
    {
        var key = (entry.Receiver, entry.Content.DedupKey);
        if (!_incidents.TryGetValue(key, out var incident))
        {
            incident = new Incident();
            _incidents[key] = incident;
        }

        incident.Open = !entry.Content.IsResolved;
        incident.Severity = entry.Content.Severity;
        incident.Sequence = entry.Sequence;
        incident.Remember(entry.Content.AnomalyId, entry.AcceptedAt);
    }

    /// <summary>Forgets the incident when its latest delivery was dead-lettered, so the next update is news again.</summary>
    public void OnDeadLettered(OutboxEntry entry)
    {
        var key = (entry.Receiver, entry.Content.DedupKey);
        if (_incidents.TryGetValue(key, out var incident) && incident.Sequence == entry.Sequence)
        {
            _incidents.Remove(key);
        }
    }

    /// <summary>Restores an incident from a journal snapshot.</summary>
    public void Restore(string receiver, string dedupKey, IncidentSnapshot snapshot)
    {
        var incident = new Incident
        {
            Open = snapshot.Open,
            Severity = snapshot.Severity,
            Sequence = snapshot.Sequence,
            LastAt = snapshot.LastAt,
        };
        foreach (var id in snapshot.RecentIds)
        {
            incident.RecentIds.Enqueue(id);
        }

        _incidents[(receiver, dedupKey)] = incident;
    }

    /// <summary>Returns the incidents still within the retention, for a journal snapshot.</summary>
    public IEnumerable<(string Receiver, string DedupKey, IncidentSnapshot Snapshot)> Live(DateTimeOffset now)
    {
        foreach (var ((receiver, dedupKey), incident) in _incidents)
        {
            if (now - incident.LastAt < retention)
            {
                yield return (receiver, dedupKey, new IncidentSnapshot(
                    incident.Open, incident.Severity, incident.Sequence, incident.LastAt, [.. incident.RecentIds]));
            }
        }
    }

    /// <summary>An incident as written in a journal snapshot.</summary>
    public sealed record IncidentSnapshot(bool Open, Severity Severity, long Sequence, DateTimeOffset LastAt, IReadOnlyList<string> RecentIds);

    private sealed class Incident
    {
        public bool Open { get; set; }

        public Severity Severity { get; set; }

        public long Sequence { get; set; }

        public DateTimeOffset LastAt { get; set; }

        public Queue<string> RecentIds { get; } = new();

        public void Remember(string anomalyId, DateTimeOffset at)
        {
            LastAt = at > LastAt ? at : LastAt;
            if (RecentIds.Contains(anomalyId))
            {
                return;
            }

            if (RecentIds.Count == RememberedIds)
            {
                RecentIds.Dequeue();
            }

            RecentIds.Enqueue(anomalyId);
        }
    }
}
