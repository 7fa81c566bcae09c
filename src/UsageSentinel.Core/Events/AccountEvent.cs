using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Events;

/// <summary>
/// One validated input event of the wire contract (shared/EVENTS.md), mapped from its DTO at the edge.
/// </summary>
/// <param name="EventId">Unique id; a second event with the same id is a duplicate.</param>
/// <param name="AccountId">The cloud account the event belongs to.</param>
/// <param name="OccurredAt">Event time. Detection runs on it, never on arrival time.</param>
public abstract record AccountEvent(string EventId, string AccountId, DateTimeOffset OccurredAt)
{
    private readonly string _eventId = EventId;
    private readonly ulong _eventIdHash = StableHash.Of(EventId);
    private readonly string _accountId = AccountId;
    private readonly ulong _accountIdHash = StableHash.Of(AccountId);

    /// <summary>Gets the unique id; a second event with the same id is a duplicate.</summary>
    public string EventId
    {
        get => _eventId;
        init
        {
            _eventId = value;
            _eventIdHash = StableHash.Of(value);
        }
    }

    /// <summary>
    /// Gets the stable 64-bit hash of <see cref="EventId"/> that the duplicate check keeps, computed with the event by
    /// the thread that parsed it, while the id's characters are still in its cache; a detection loop reading them later
    /// waits on memory, and with the hash at hand it can fetch the duplicate check's slot ahead
    /// (<see cref="Engine.DetectionEngine{TToken}.PrefetchAhead"/>).
    /// </summary>
    internal ulong EventIdHash => _eventIdHash;

    /// <summary>Gets the cloud account the event belongs to.</summary>
    public string AccountId
    {
        get => _accountId;
        init
        {
            _accountId = value;
            _accountIdHash = StableHash.Of(value);
        }
    }

    /// <summary>
    /// Gets the stable 64-bit hash of <see cref="AccountId"/> that the engine's account table is keyed by, computed with
    /// the event like <see cref="EventIdHash"/>, so a detection loop can fetch the account's slot and state ahead.
    /// </summary>
    internal ulong AccountIdHash => _accountIdHash;

    /// <summary>Gets the kind of the event.</summary>
    public abstract AccountEventKind Kind { get; }

    /// <summary>Gets the contract version the producer wrote.</summary>
    /// <value>The default value is 1.</value>
    public int SchemaVersion { get; init; } = 1;
}
