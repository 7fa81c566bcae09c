namespace UsageSentinel.Core.Events;

/// <summary>
/// One validated input event of the wire contract (shared/EVENTS.md), mapped from its DTO at the edge.
/// </summary>
/// <param name="EventId">Unique id; a second event with the same id is a duplicate.</param>
/// <param name="AccountId">The cloud account the event belongs to.</param>
/// <param name="OccurredAt">Event time. Detection runs on it, never on arrival time.</param>
public abstract record AccountEvent(string EventId, string AccountId, DateTimeOffset OccurredAt)
{
    /// <summary>Gets the kind of the event.</summary>
    public abstract AccountEventKind Kind { get; }

    /// <summary>Gets the contract version the producer wrote.</summary>
    /// <value>The default value is 1.</value>
    public int SchemaVersion { get; init; } = 1;
}
