using System.Diagnostics.CodeAnalysis;
using UsageSentinel.Core.Ports;

namespace UsageSentinel.Detection.ML.Population;

/// <summary>
/// Scores accounts against a <see cref="RandomizedPcaPopulationModel"/> with its own scratch buffers: one per
/// detection loop, no allocation per call, not thread-safe.
/// </summary>
internal sealed class RandomizedPcaPopulationScorer : IPopulationScorer
{
    private readonly PcaResidual _residual;
    private readonly EmpiricalTail _calibration;
    private readonly double[] _residualBuffer;
    private readonly double[] _projectionBuffer;

    public RandomizedPcaPopulationScorer(RandomizedPcaPopulationModel model)
    {
        _residual = model.Residual;
        _calibration = model.Calibration;
        _residualBuffer = new double[_residual.FeatureCount];
        _projectionBuffer = new double[Math.Max(1, _residual.Rank)];
    }

    /// <summary>Scores an account: the raw score is ‖r‖, the reconstruction error in robust standard deviations.</summary>
    public PopulationScore Score(ReadOnlySpan<float> features, Span<float> contributions)
    {
        var featureCount = _residualBuffer.Length;
        if (features.Length != featureCount || contributions.Length != featureCount)
        {
            ThrowLengthMismatch(features.Length, contributions.Length, featureCount);
        }

        var errorSquared = _residual.Compute(features, _residualBuffer, _projectionBuffer, out _);
        if (errorSquared > 0)
        {
            var inverse = 1 / errorSquared;
            for (var i = 0; i < contributions.Length; i++)
            {
                var r = _residualBuffer[i];
                contributions[i] = (float)(r * r * inverse);
            }
        }
        else
        {
            contributions.Clear();
        }

        var raw = Math.Sqrt(errorSquared);
        return new PopulationScore(raw, _calibration.TailProbability(raw));
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int features, int contributions, int expected) =>
        throw new ArgumentException(
            $"Expected {expected} features and as many contributions, got {features} and {contributions}.",
            nameof(features));
}
