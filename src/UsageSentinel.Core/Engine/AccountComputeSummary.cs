namespace UsageSentinel.Core.Engine;

/// <summary>A readable summary of one account's compute accounting.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="AccruedUntil">Event time the figures are accrued to.</param>
/// <param name="GpuHours">GPU-hours since the account was first seen.</param>
/// <param name="GpuHoursByModel">GPU-hours per GPU model.</param>
/// <param name="EstimatedFlop">Estimated training compute since first seen, at the assumed utilisation.</param>
/// <param name="RollingEstimatedFlop">Estimated training compute in the rolling window.</param>
/// <param name="RunningGpus">GPUs running now.</param>
/// <param name="PeakGpus">Most GPUs that ran at once.</param>
/// <param name="OpenInstances">Instances running now.</param>
/// <param name="Runs">Co-located runs that are running or may resume.</param>
/// <param name="Allowlisted">Whether the profile says the account is allowlisted.</param>
public sealed record AccountComputeSummary(
    string AccountId,
    DateTimeOffset? AccruedUntil,
    double GpuHours,
    IReadOnlyList<KeyValuePair<string, double>> GpuHoursByModel,
    double EstimatedFlop,
    double RollingEstimatedFlop,
    int RunningGpus,
    int PeakGpus,
    int OpenInstances,
    int Runs,
    bool Allowlisted);
