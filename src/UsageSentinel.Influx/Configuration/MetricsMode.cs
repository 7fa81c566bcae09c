namespace UsageSentinel.Influx.Configuration;

/// <summary>How the worker writes metrics.</summary>
public enum MetricsMode
{
    /// <summary>No metrics: the writer discards everything and no flusher runs.</summary>
    Disabled,

    /// <summary>InfluxDB 2.x (or anything speaking <c>/api/v2/write</c>, e.g. VictoriaMetrics) through InfluxDB.Client.</summary>
    V2,

    /// <summary>InfluxDB 1.x (including servers older than 1.8): line protocol posted to <c>/write?db=</c>.</summary>
    V1,
}
