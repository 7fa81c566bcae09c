using System.Security.Cryptography;
using System.Text;

namespace UsageSentinel.Core.Anomalies;

/// <summary>An explained anomaly, the output of detection (the anomaly schema of shared/EVENTS.md).</summary>
public sealed record AnomalyDetected
{
    /// <summary>Gets the deterministic id: the same input gives the same ids.</summary>
    public required string AnomalyId { get; init; }

    /// <summary>Gets the account the anomaly is about (a group's representative for groups).</summary>
    public required string AccountId { get; init; }

    /// <summary>Gets the other accounts in the finding.</summary>
    public IReadOnlyList<string> LinkedAccountIds { get; init; } = [];

    /// <summary>Gets the detector name, e.g. <c>training_scale</c>.</summary>
    public required string Detector { get; init; }

    /// <summary>Gets the event time at which the anomaly was raised.</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>Gets the normalised score, 0..100.</summary>
    public required double Score { get; init; }

    /// <summary>Gets the severity band.</summary>
    public required Severity Severity { get; init; }

    /// <summary>Gets the confidence in the finding, 0..1.</summary>
    public required double Confidence { get; init; }

    /// <summary>Gets one human sentence.</summary>
    public required string Summary { get; init; }

    /// <summary>Gets the features that explain the anomaly.</summary>
    public required IReadOnlyList<RootCause> RootCauses { get; init; }

    /// <summary>Gets the key that stays stable while the finding is ongoing.</summary>
    public required string DedupKey { get; init; }

    /// <summary>Gets whether this opens, updates or resolves the incident of <see cref="DedupKey"/>.</summary>
    public required AnomalyStatus Status { get; init; }

    /// <summary>Gets the compute estimates, for <c>training_scale</c>.</summary>
    public TrainingScaleDetails? TrainingScale { get; init; }

    /// <summary>Derives a deterministic anomaly id from the dedup key and what distinguishes this anomaly within it.</summary>
    /// <param name="dedupKey">The incident key.</param>
    /// <param name="discriminator">What makes this anomaly distinct within the incident, e.g. <c>crossed:1e24</c>.</param>
    /// <returns>32 lowercase hex characters.</returns>
    public static string DeriveId(string dedupKey, string discriminator)
    {
        ArgumentNullException.ThrowIfNull(dedupKey);
        ArgumentNullException.ThrowIfNull(discriminator);
        var text = string.Concat(dedupKey, "|", discriminator);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
