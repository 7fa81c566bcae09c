namespace UsageSentinel.Simulation.Engine;

/// <summary>One simulated day, relative to the period start; the last one may be shorter.</summary>
internal readonly record struct DayWindow(int Index, DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;
}
