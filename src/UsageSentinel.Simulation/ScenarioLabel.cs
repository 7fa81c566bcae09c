namespace UsageSentinel.Simulation;

/// <summary>The ground truth about one simulated account, for evaluation.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Scenario">The scenario name; see <see cref="ScenarioNames"/>.</param>
/// <param name="Abusive">Whether a detector should flag the account.</param>
/// <param name="AbuseStart">When the abuse begins; <see langword="null"/> for benign accounts.</param>
/// <param name="LinkedAccountIds">The other accounts of the same scheme (structuring groups), else empty.</param>
/// <param name="ExpectedDetectors">The detectors expected to flag the account, else empty.</param>
#pragma warning disable CA1819 // a plain label record, read and written as NDJSON
public sealed record ScenarioLabel(
    string AccountId,
    string Scenario,
    bool Abusive,
    DateTimeOffset? AbuseStart,
    string[] LinkedAccountIds,
    string[] ExpectedDetectors);
#pragma warning restore CA1819
