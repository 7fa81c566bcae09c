namespace UsageSentinel.Simulation;

/// <summary>One generated contract event, ready to produce or write to a replay file.</summary>
/// <param name="OccurredAt">The event time (<c>occurred_at</c>), whole seconds, UTC.</param>
/// <param name="Topic">The topic the event belongs on; see <see cref="SimulationTopics"/>.</param>
/// <param name="AccountId">The account, also the Kafka message key.</param>
/// <param name="EventId">The deterministic <c>event_id</c>.</param>
/// <param name="Utf8Json">The event as one compact UTF-8 JSON object, written per the wire contract.</param>
#pragma warning disable CA1819 // the message body is handed to producers and files as is; copying it per event would cost
public sealed record SimulatedEvent(
    DateTimeOffset OccurredAt, string Topic, string AccountId, string EventId, byte[] Utf8Json);
#pragma warning restore CA1819
