namespace UsageSentinel.Kafka.Contract;

/// <summary>Why a message was rejected by the wire contract and sent to the dead-letter topic.</summary>
public enum DeadLetterReason
{
    /// <summary>The message was accepted.</summary>
    None,

    /// <summary>The message has no bytes, or only whitespace.</summary>
    EmptyMessage,

    /// <summary>The message is not well-formed UTF-8 JSON (truncated, trailing garbage, bad escapes).</summary>
    MalformedJson,

    /// <summary>The message is well-formed JSON, but not an object.</summary>
    NotAnObject,

    /// <summary>A required field is absent or <c>null</c>.</summary>
    MissingField,

    /// <summary>A field has the wrong JSON type, format, range or enum value.</summary>
    InvalidField,

    /// <summary>The <c>event_type</c> is not part of the contract.</summary>
    UnknownEventType,

    /// <summary>The <c>schema_version</c> is not one this build understands.</summary>
    UnsupportedSchemaVersion,
}
