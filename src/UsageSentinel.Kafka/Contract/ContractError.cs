namespace UsageSentinel.Kafka.Contract;

/// <summary>Why a message broke the wire contract.</summary>
/// <param name="Reason">The machine-readable reason; <see cref="DeadLetterReason.None"/> on success.</param>
/// <param name="Message">
/// One human sentence naming the field in JSON path style, e.g.
/// <c>$.caller.source_asn must be an integer between 0 and 4294967295</c>. It never quotes more than
/// 64 characters of any input value.
/// </param>
public readonly record struct ContractError(DeadLetterReason Reason, string Message)
{
    /// <summary>Gets the value for an accepted message.</summary>
    public static ContractError None { get; } = new(DeadLetterReason.None, string.Empty);
}
