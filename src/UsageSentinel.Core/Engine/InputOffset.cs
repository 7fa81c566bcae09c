namespace UsageSentinel.Core.Engine;

/// <summary>Where an event came from: an input stream (e.g. a hash of topic and partition) and its offset there.</summary>
/// <param name="Stream">The stream; offsets are compared within one stream only.</param>
/// <param name="Offset">The event's position in the stream, increasing in consumption order.</param>
public readonly record struct InputOffset(long Stream, long Offset);
