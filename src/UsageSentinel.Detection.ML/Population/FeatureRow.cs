namespace UsageSentinel.Detection.ML.Population;

/// <summary>One account's standardised features as ML.NET reads them; the vector size is set by a schema definition.</summary>
internal sealed class FeatureRow
{
    public const string FeaturesColumn = nameof(Features);

    public float[] Features { get; set; } = [];
}
