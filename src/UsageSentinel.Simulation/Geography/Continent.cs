namespace UsageSentinel.Simulation.Geography;

/// <summary>Where a country is, for picking nearby cloud regions.</summary>
internal enum Continent
{
    NorthAmerica,
    SouthAmerica,
    Europe,
    MiddleEast,
    Asia,
    Africa,
}
