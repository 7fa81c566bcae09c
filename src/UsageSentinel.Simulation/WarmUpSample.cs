namespace UsageSentinel.Simulation;

/// <summary>
/// A small simulated population for a process to warm its detection code up on before a large replay (the replay's
/// <c>ReplayWarmUp</c>): 500 benign accounts and the default abusive scenarios over three days, about 13,000 events.
/// </summary>
/// <remarks>
/// It reaches every event type of the contract that the simulation writes, the hourly and the daily evaluations, two
/// population snapshots with model training, and anomalies of several detectors, so that the code a replay runs
/// through in its first seconds is compiled and optimised before the input starts. Seeded: the same bytes every time.
/// </remarks>
public static class WarmUpSample
{
    /// <summary>Simulates the sample.</summary>
    /// <returns>The events, one JSON object per line.</returns>
    public static byte[] Create()
    {
        var simulator = new PopulationSimulator(new SimulationOptions { Seed = 1, Accounts = 500, Duration = TimeSpan.FromDays(3) });
        using var buffer = new MemoryStream();
        EventFileWriter.WriteNdjson(buffer, simulator.Generate());
        return buffer.ToArray();
    }
}
