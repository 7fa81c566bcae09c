namespace UsageSentinel.Core.Accounting;

/// <summary>
/// What one account has taken from one input stream, so that after a restore every event's effect on the account's
/// state counts exactly once: <see cref="MaxOffered"/> is the highest offset offered for the account, and the
/// offsets at or below it that the state does not reflect are either waiting in this engine's reorder buffer
/// (<see cref="Buffered"/>) or were waiting when the state was saved (<see cref="Missing"/>). An offered event is
/// new iff its offset is above <see cref="MaxOffered"/> or in <see cref="Missing"/>. Exact although events are
/// applied in event-time order, not offset order; bounded by what waits within the allowed lateness.
/// </summary>
internal sealed class InputTrack(long stream)
{
    public long Stream { get; } = stream;

    public long MaxOffered { get; set; } = -1;

    public List<long> Buffered { get; } = [];

    public List<long> Missing { get; } = [];

    /// <summary>Records an offer; returns <see langword="false"/> when the state already reflects the event or it is waiting.</summary>
    public bool TryOffer(long offset)
    {
        if (offset <= MaxOffered && !Missing.Remove(offset))
        {
            return false;
        }

        MaxOffered = Math.Max(MaxOffered, offset);
        return true;
    }

    /// <summary>Records that the event at <paramref name="offset"/> was applied to the state.</summary>
    public void Applied(long offset)
    {
        if (!Buffered.Remove(offset))
        {
            Missing.Remove(offset);
        }
    }
}
