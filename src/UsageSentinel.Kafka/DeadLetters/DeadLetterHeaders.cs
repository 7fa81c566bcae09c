namespace UsageSentinel.Kafka.DeadLetters;

/// <summary>
/// Headers of a dead-letter message. The value and key are the original bytes, unchanged; the headers say where
/// the message came from and why it was rejected.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Machine-readable reason code, e.g. <c>missing_field</c>.</summary>
    public const string Reason = "x-dead-letter-reason";

    /// <summary>Human explanation naming the field.</summary>
    public const string Message = "x-dead-letter-message";

    /// <summary>Topic the message was consumed from.</summary>
    public const string SourceTopic = "x-source-topic";

    /// <summary>Partition the message was consumed from (decimal text).</summary>
    public const string SourcePartition = "x-source-partition";

    /// <summary>Offset of the message in its partition (decimal text).</summary>
    public const string SourceOffset = "x-source-offset";

    /// <summary>Timestamp of the original message, Unix milliseconds (decimal text).</summary>
    public const string SourceTimestamp = "x-source-timestamp-ms";
}
