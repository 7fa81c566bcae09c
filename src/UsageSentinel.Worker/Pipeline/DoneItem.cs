using UsageSentinel.Core.Engine;

namespace UsageSentinel.Worker.Pipeline;

/// <summary>An event whose processing and outputs are complete, on its way back to the consume loop.</summary>
/// <param name="Position">Where it came from.</param>
/// <param name="Outcome">What became of it.</param>
internal readonly record struct DoneItem(InputPosition Position, EventOutcome Outcome);
