namespace UsageSentinel.Worker.Replay;

/// <summary>Progress of a replay, reported about once a second.</summary>
/// <param name="Lines">Lines read so far.</param>
/// <param name="Bytes">Bytes read so far.</param>
/// <param name="Anomalies">Anomalies written so far.</param>
/// <param name="Elapsed">Time since the start.</param>
public readonly record struct ReplayProgress(long Lines, long Bytes, long Anomalies, TimeSpan Elapsed);
