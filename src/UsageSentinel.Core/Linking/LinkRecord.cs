namespace UsageSentinel.Core.Linking;

/// <summary>What a <see cref="LinkRecord"/> says.</summary>
public enum LinkRecordType
{
    /// <summary>An account uses an identifier (only its hash travels).</summary>
    Observed = 1,

    /// <summary>New figures of an account that is in a group.</summary>
    Figures = 2,

    /// <summary>A group's incident state after it raised, so another loop judging it later does not raise again.</summary>
    Incident = 3,
}

/// <summary>
/// One change of a <see cref="LinkGraph"/>, journalled so that the graphs of other workers can apply it: how linked
/// accounts on different workers find each other.
/// </summary>
/// <param name="Type">What the record says.</param>
/// <param name="AccountId">The account (for <see cref="LinkRecordType.Incident"/>, the group's first member).</param>
/// <param name="Partition">The input partition that owns the account.</param>
/// <param name="Kind">The identifier's kind.</param>
/// <param name="Key">The identifier's hash.</param>
/// <param name="Flop">Estimated training compute in the rolling window.</param>
/// <param name="Gpus">GPUs running.</param>
/// <param name="Resale">Resale evidence.</param>
/// <param name="Ticks">Event time of the figures, UTC ticks.</param>
/// <param name="DedupKey">The group incident's key.</param>
/// <param name="IncidentOpen">Whether the group's incident is open.</param>
/// <param name="ComputeMask">Compute tiers raised for the group.</param>
/// <param name="ResaleRaised">Whether resale was raised for the group.</param>
public readonly record struct LinkRecord(
    LinkRecordType Type,
    string AccountId,
    int Partition,
    LinkKind Kind = default,
    ulong Key = 0,
    double Flop = 0,
    int Gpus = 0,
    double Resale = 0,
    long Ticks = 0,
    string? DedupKey = null,
    bool IncidentOpen = false,
    int ComputeMask = 0,
    bool ResaleRaised = false)
{
    /// <summary>An account uses an identifier.</summary>
    public static LinkRecord Observed(string accountId, int partition, LinkKind kind, ulong key) =>
        new(LinkRecordType.Observed, accountId, partition, kind, key);

    /// <summary>New figures of an account.</summary>
    public static LinkRecord FiguresOf(string accountId, int partition, double flop, int gpus, double resale, long ticks) =>
        new(LinkRecordType.Figures, accountId, partition, Flop: flop, Gpus: gpus, Resale: resale, Ticks: ticks);

    /// <summary>A group's incident state.</summary>
    public static LinkRecord IncidentOf(string firstMember, string dedupKey, bool open, int computeMask, bool resaleRaised) =>
        new(LinkRecordType.Incident, firstMember, 0, DedupKey: dedupKey, IncidentOpen: open, ComputeMask: computeMask, ResaleRaised: resaleRaised);
}
