using System.Runtime;

namespace UsageSentinel.Cli.Hosting;

/// <summary>
/// Garbage collection for a command that runs to its end with nobody waiting on a single event: a replay or an
/// evaluation. The worker keeps the runtime's default (background collections of the oldest generation, shorter pauses).
/// </summary>
/// <remarks>
/// A replay builds the state of every account in a few seconds, so the oldest generation grows fast and the runtime
/// starts background collections of it, whose thread takes a core's share from the two that read and detect, while the
/// young collections go on beside it. <see cref="GCLatencyMode.Batch"/> makes those collections blocking instead: each
/// one is done once, with every core. 5,000,000-event replay, <c>--loops 2</c>, 2-core VM: see benchmarks/README.md
/// (session 15). The setting is for this process from here on; <c>DOTNET_gcConcurrent=0</c> does the same for a
/// whole process.
/// </remarks>
internal static class BatchCollections
{
    public static void Enter() => GCSettings.LatencyMode = GCLatencyMode.Batch;
}
