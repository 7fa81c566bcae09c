namespace UsageSentinel.Core.Engine;

/// <summary>What became of one offered event.</summary>
public enum EventOutcome : byte
{
    /// <summary>Processed in event-time order.</summary>
    Processed,

    /// <summary>Its id was seen before; nothing changed.</summary>
    Duplicate,

    /// <summary>Older than events already processed; applied to the accounting at once (see README).</summary>
    Late,
}
