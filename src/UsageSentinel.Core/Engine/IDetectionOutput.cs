using UsageSentinel.Core.Anomalies;

namespace UsageSentinel.Core.Engine;

/// <summary>Receives what a <see cref="DetectionEngine{TToken}"/> decides, on the engine's own thread.</summary>
/// <typeparam name="TToken">What the caller attached to each offered event (e.g. its Kafka offset).</typeparam>
public interface IDetectionOutput<TToken>
{
    /// <summary>An anomaly was raised while processing the event of <paramref name="token"/>.</summary>
    /// <param name="anomaly">The anomaly.</param>
    /// <param name="token">The token of the event being processed.</param>
    void OnAnomaly(AnomalyDetected anomaly, TToken token);

    /// <summary>The engine is done with the event of <paramref name="token"/>; all its anomalies were passed before.</summary>
    /// <param name="token">The token.</param>
    /// <param name="outcome">What became of it.</param>
    void OnEventDone(TToken token, EventOutcome outcome);

    /// <summary>The catalog does not know an instance type; called once per type and engine.</summary>
    /// <param name="instanceType">The instance type.</param>
    /// <param name="gpuModel">The GPU model the event named, when any.</param>
    void OnUnknownInstanceType(string instanceType, string? gpuModel);

    /// <summary>Gets whether <see cref="OnAccountEvaluated"/> is wanted (it costs a summary per account and evaluation).</summary>
    bool WantsAccountUsage => false;

    /// <summary>An account with running GPUs or an open finding was evaluated at an evaluation boundary.</summary>
    /// <param name="summary">Its compute, accrued to the boundary.</param>
    /// <param name="dailySpend">Its spend so far on the current day.</param>
    void OnAccountEvaluated(AccountComputeSummary summary, double dailySpend)
    {
    }
}
