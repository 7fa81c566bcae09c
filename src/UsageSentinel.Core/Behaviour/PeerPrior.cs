namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// Typical level and spread of a quantity (e.g. an account's peak GPUs) across a peer group (entity type), learnt
/// from the accounts as they are evaluated: the prior a brand-new account is judged against. Owned by one loop.
/// </summary>
internal sealed class PeerPrior
{
    private readonly Dictionary<string, (double Mean, double Deviation, long Count)> _groups = new(StringComparer.Ordinal);

    /// <summary>Learns one account's value for its group.</summary>
    public void Learn(string group, double value)
    {
        var (mean, deviation, count) = _groups.GetValueOrDefault(group);
        count++;
        var alpha = Math.Max(1.0 / count, 1e-3);
        var residual = value - mean;
        mean += alpha * residual;
        deviation += alpha * (Math.Abs(residual) - deviation);
        _groups[group] = (mean, Math.Max(0, deviation), count);
    }

    /// <summary>The typical high of the group: mean + <paramref name="spreads"/> mean absolute deviations; 0 until 20 accounts were seen.</summary>
    public double High(string group, double spreads) =>
        _groups.TryGetValue(group, out var g) && g.Count >= 20 ? g.Mean + (spreads * g.Deviation) : 0;
}
