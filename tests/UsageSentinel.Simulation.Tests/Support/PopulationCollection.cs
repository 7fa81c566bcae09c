namespace UsageSentinel.Simulation.Tests.Support;

/// <summary>Shares one generated default population across the test classes that inspect it.</summary>
[CollectionDefinition(Name)]
public sealed class PopulationCollection : ICollectionFixture<DefaultPopulationFixture>
{
    public const string Name = "Default population";
}
