namespace UsageSentinel.Simulation.Geography;

/// <summary>A country: its usual UTC offset (no daylight saving), continent and some of its networks.</summary>
internal sealed record Country(
    string Code, int UtcOffsetMinutes, Continent Continent, IReadOnlyList<Network> Networks, Network? Academic = null)
{
    public TimeSpan UtcOffset => TimeSpan.FromMinutes(UtcOffsetMinutes);
}
