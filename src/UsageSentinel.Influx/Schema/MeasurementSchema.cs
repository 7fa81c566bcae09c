namespace UsageSentinel.Influx.Schema;

/// <summary>What one measurement carries: its tags and fields.</summary>
/// <param name="Measurement">The measurement name.</param>
/// <param name="Tags">The tag keys (all from bounded sets; see <see cref="MetricNames"/>).</param>
/// <param name="Fields">The field keys.</param>
public sealed record MeasurementSchema(string Measurement, IReadOnlyList<string> Tags, IReadOnlyList<string> Fields);
