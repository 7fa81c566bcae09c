namespace UsageSentinel.Kafka.Contract;

/// <summary>Stable machine codes of <see cref="DeadLetterReason"/>, for dead-letter headers and metric tags.</summary>
public static class DeadLetterReasonCodes
{
    /// <summary>Returns the snake_case machine code of <paramref name="reason"/>, e.g. <c>missing_field</c>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The code; stable across releases.</returns>
    public static string ToCode(this DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.None => "none",
        DeadLetterReason.EmptyMessage => "empty_message",
        DeadLetterReason.MalformedJson => "malformed_json",
        DeadLetterReason.NotAnObject => "not_an_object",
        DeadLetterReason.MissingField => "missing_field",
        DeadLetterReason.InvalidField => "invalid_field",
        DeadLetterReason.UnknownEventType => "unknown_event_type",
        DeadLetterReason.UnsupportedSchemaVersion => "unsupported_schema_version",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown dead-letter reason."),
    };
}
