using UsageSentinel.Core.Engine;

namespace UsageSentinel.Core.Ports;

/// <summary>An account's compute usage and spend at an event time, for <see cref="IMetricsWriter.WriteAccountUsage"/>.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="EventTime">The event time the figures are accrued to.</param>
/// <param name="GpuHours">GPU-hours since the account was first seen.</param>
/// <param name="GpuHoursByModel">GPU-hours since first seen per GPU model (e.g. <c>H100-SXM</c>).</param>
/// <param name="EstimatedFlop">Estimated training compute since first seen.</param>
/// <param name="RollingEstimatedFlop">Estimated training compute in the rolling window.</param>
/// <param name="ConcurrentGpus">GPUs running at <paramref name="EventTime"/>.</param>
/// <param name="Spend">Amount billed since first seen, in the billing currency.</param>
public readonly record struct AccountUsageSample(
    string AccountId,
    DateTimeOffset EventTime,
    double GpuHours,
    IReadOnlyList<KeyValuePair<string, double>> GpuHoursByModel,
    double EstimatedFlop,
    double RollingEstimatedFlop,
    int ConcurrentGpus,
    double Spend)
{
    /// <summary>Builds a sample from the engine's compute summary of an account.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="eventTime">The event time to record the sample at, usually <see cref="AccountComputeSummary.AccruedUntil"/>.</param>
    /// <param name="spend">Amount billed since first seen.</param>
    /// <returns>The sample.</returns>
    public static AccountUsageSample FromSummary(AccountComputeSummary summary, DateTimeOffset eventTime, double spend)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new AccountUsageSample(
            summary.AccountId,
            eventTime,
            summary.GpuHours,
            summary.GpuHoursByModel,
            summary.EstimatedFlop,
            summary.RollingEstimatedFlop,
            summary.RunningGpus,
            spend);
    }
}
