using UsageSentinel.Core.Sketches;

namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// What accounts of a peer group (entity type) typically reach, e.g. their peak GPUs: a high quantile of the
/// group's values, learnt from the accounts once a day each. It is the prior a brand-new account is judged against.
/// Peaks are heavy-tailed, so a quantile serves better than mean + k spreads. Owned by one loop.
/// </summary>
internal sealed class PeerPrior
{
    /// <summary>The number of account-days a group needs before its own figures replace the fallback.</summary>
    public const int MinSamples = 1_000;

    private readonly Dictionary<string, StreamingQuantile> _groups = new(StringComparer.Ordinal);
    private readonly double _quantile;

    /// <summary>Initializes a new instance of the <see cref="PeerPrior"/> class.</summary>
    /// <param name="quantile">The quantile of the group's values that counts as its typical high.</param>
    public PeerPrior(double quantile) => _quantile = quantile;

    /// <summary>Learns one account's value for its group.</summary>
    public void Learn(string group, double value)
    {
        if (!_groups.TryGetValue(group, out var estimator))
        {
            estimator = new StreamingQuantile(_quantile);
            _groups.Add(group, estimator);
        }

        estimator.Add(value);
    }

    /// <summary>Writes every group's estimator, in group order.</summary>
    internal void WriteState(State.StateWriter writer)
    {
        writer.WriteVarUInt64((ulong)_groups.Count);
        foreach (var (group, estimator) in _groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            writer.WriteString(group);
            estimator.WriteState(writer);
        }
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote, replacing what the prior had learnt.</summary>
    internal void ReadState(ref State.StateReader reader)
    {
        _groups.Clear();
        var count = reader.ReadElementCount("peer groups", 2);
        for (var i = 0; i < count; i++)
        {
            var estimator = new StreamingQuantile(_quantile);
            var group = reader.ReadRequiredString("peer group");
            estimator.ReadState(ref reader);
            _groups[group] = estimator;
        }
    }

    /// <summary>The typical high of the group; <paramref name="fallback"/> until <see cref="MinSamples"/> account-days were learnt.</summary>
    public double High(string group, double fallback) =>
        _groups.TryGetValue(group, out var g) && g.Count >= MinSamples ? g.Estimate : fallback;
}
