namespace UsageSentinel.Worker.Replay;

/// <summary>
/// When and on what a large replay warms up first: a few passes of the replay's own code over a small sample, with
/// throwaway engines, so that the input's first events run optimised code.
/// </summary>
/// <remarks>
/// The runtime compiles each method first without optimisation and recompiles a hot one optimised (with the profile
/// of its first calls) once it has counted its calls; by default it starts counting only after 100 ms without a newly
/// compiled method (<c>usage-sentinel</c> counts from the start). A replay keeps reaching new code for its first
/// seconds (the first hourly evaluation, daily snapshot, model training, anomaly): a fresh process compiles ~1,900
/// methods on the way and runs its first events largely unoptimised. Passes over a sample that reaches all of that
/// code take a fraction of that time. The sample's engines share nothing with the replay that follows: the output is
/// the same with or without a warm-up.
/// </remarks>
/// <param name="sample">Creates the sample, one JSON event per line; called once per warmed-up replay.</param>
/// <param name="minimumInputBytes">Inputs from this size on are warmed up; smaller ones, and inputs of unknown length, are not.</param>
/// <param name="passes">Passes over the sample.</param>
public sealed class ReplayWarmUp(Func<byte[]> sample, long minimumInputBytes = ReplayWarmUp.DefaultMinimumInputBytes, int passes = ReplayWarmUp.DefaultPasses)
{
    /// <summary>
    /// 256 MiB, about 750,000 events: the warm-up (about a third of a second on two cores) is a few percent of such a
    /// replay and saves more than it costs.
    /// </summary>
    public const long DefaultMinimumInputBytes = 256L << 20;

    /// <summary>Three passes: measured fastest overall against two, four and five on the 5,000,000-event benchmark file.</summary>
    public const int DefaultPasses = 3;

    /// <summary>Gets what creates the sample.</summary>
    public Func<byte[]> Sample { get; } = sample ?? throw new ArgumentNullException(nameof(sample));

    /// <summary>Gets the smallest input that is warmed up for.</summary>
    public long MinimumInputBytes { get; } = minimumInputBytes >= 0 ? minimumInputBytes : throw new ArgumentOutOfRangeException(nameof(minimumInputBytes));

    /// <summary>Gets the passes over the sample.</summary>
    public int Passes { get; } = passes >= 0 ? passes : throw new ArgumentOutOfRangeException(nameof(passes));

    /// <summary>Whether a replay of <paramref name="input"/> is warmed up: its length is known and large enough.</summary>
    /// <param name="input">The replay's input.</param>
    /// <returns>Whether to warm up.</returns>
    public bool AppliesTo(Stream input) => Passes > 0 && input.CanSeek && input.Length - input.Position >= MinimumInputBytes;
}
