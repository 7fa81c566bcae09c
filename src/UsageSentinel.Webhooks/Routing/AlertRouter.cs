using UsageSentinel.Core.Anomalies;
using UsageSentinel.Webhooks.Configuration;

namespace UsageSentinel.Webhooks.Routing;

/// <summary>Picks the receivers of an anomaly by the ordered routes of <see cref="AlertingOptions"/>.</summary>
internal sealed class AlertRouter
{
    private readonly Route[] _routes;
    private readonly Dictionary<string, HashSet<string>> _accountTags;

    public AlertRouter(AlertingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var canonical = options.Receivers.Keys.ToDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);
        _routes = options.Routes.Select(r => new Route(
            r.Detectors.ToHashSet(StringComparer.Ordinal),
            r.MinSeverity,
            r.MinScore,
            r.Accounts.ToHashSet(StringComparer.Ordinal),
            r.Tags.ToHashSet(StringComparer.OrdinalIgnoreCase),
            r.Receivers.Select(name => canonical[name]).ToArray(),
            r.Continue)).ToArray();
        _accountTags = options.AccountTags.ToDictionary(
            pair => pair.Key, pair => pair.Value.ToHashSet(StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
    }

    /// <summary>Returns the names of the receivers of <paramref name="anomaly"/>, each once, in route order.</summary>
    public IReadOnlyList<string> Match(AnomalyDetected anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        List<string>? receivers = null;
        foreach (var route in _routes)
        {
            if (!Matches(route, anomaly))
            {
                continue;
            }

            receivers ??= [];
            foreach (var receiver in route.Receivers)
            {
                if (!receivers.Contains(receiver))
                {
                    receivers.Add(receiver);
                }
            }

            if (!route.Continue)
            {
                break;
            }
        }

        return receivers ?? (IReadOnlyList<string>)[];
    }

    private bool Matches(Route route, AnomalyDetected anomaly)
    {
        if (route.Detectors.Count > 0 && !route.Detectors.Contains(anomaly.Detector))
        {
            return false;
        }

        if (anomaly.Severity < route.MinSeverity || anomaly.Score < route.MinScore)
        {
            return false;
        }

        if (route.Accounts.Count == 0 && route.Tags.Count == 0)
        {
            return true;
        }

        if (MatchesAccount(route, anomaly.AccountId))
        {
            return true;
        }

        foreach (var linked in anomaly.LinkedAccountIds)
        {
            if (MatchesAccount(route, linked))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesAccount(Route route, string accountId) =>
        route.Accounts.Contains(accountId)
        || (route.Tags.Count > 0 && _accountTags.TryGetValue(accountId, out var tags) && tags.Overlaps(route.Tags));

    private sealed record Route(
        HashSet<string> Detectors,
        Severity MinSeverity,
        double MinScore,
        HashSet<string> Accounts,
        HashSet<string> Tags,
        string[] Receivers,
        bool Continue);
}
