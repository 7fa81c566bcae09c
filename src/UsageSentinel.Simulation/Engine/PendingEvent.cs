namespace UsageSentinel.Simulation.Engine;

/// <summary>An event an account has scheduled but not yet written; serialised only when its day is emitted.</summary>
/// <param name="Kind">What to write.</param>
/// <param name="Time">The event time, whole seconds.</param>
/// <param name="Subject">The instance, access session or payment plan it is about.</param>
/// <param name="From">For charges, the start of the billed period.</param>
/// <param name="To">For charges, the end of the billed period.</param>
internal readonly record struct PendingEvent(
    PendingKind Kind, DateTimeOffset Time, object? Subject, DateTimeOffset From = default, DateTimeOffset To = default);
