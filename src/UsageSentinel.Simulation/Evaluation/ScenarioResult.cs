namespace UsageSentinel.Simulation.Evaluation;

/// <summary>How well one scenario's accounts were caught.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Abusive">Whether the scenario is abusive.</param>
/// <param name="Accounts">Accounts of the scenario.</param>
/// <param name="ExpectedDetectors">The detectors expected to flag it.</param>
/// <param name="Detected">Abusive accounts alerted by an expected detector.</param>
/// <param name="Recall">Detected / accounts, for abusive scenarios.</param>
/// <param name="MedianTimeToDetect">Median event time from the start of the abuse to the first alert by an expected detector.</param>
/// <param name="Flagged">Accounts with any alert (for benign scenarios: false alerts).</param>
public sealed record ScenarioResult(
    string Scenario,
    bool Abusive,
    int Accounts,
    IReadOnlyList<string> ExpectedDetectors,
    int Detected,
    double? Recall,
    TimeSpan? MedianTimeToDetect,
    int Flagged);
