namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// Typical level and spread of a quantity (e.g. an account's peak GPUs) across a peer group (entity type), learnt
/// from the accounts once a day each: the prior a brand-new account is judged against. Owned by one loop.
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

    /// <summary>The number of account-days a group needs before its own figures replace the fallback.</summary>
    public const int MinSamples = 1_000;

    /// <summary>The typical high of the group: mean + <paramref name="spreads"/> mean absolute deviations; <paramref name="fallback"/> until <see cref="MinSamples"/> account-days were learnt.</summary>
    public double High(string group, double spreads, double fallback) =>
        _groups.TryGetValue(group, out var g) && g.Count >= MinSamples ? g.Mean + (spreads * g.Deviation) : fallback;
}
