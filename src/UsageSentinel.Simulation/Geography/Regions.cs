using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Randomness;

namespace UsageSentinel.Simulation.Geography;

/// <summary>Cloud regions and zones per provider, near a continent.</summary>
internal static class Regions
{
    private static readonly string[] AwsNorthAmerica = ["us-east-1", "us-east-2", "us-west-2"];
    private static readonly string[] AwsEurope = ["eu-central-1", "eu-west-1", "eu-north-1"];
    private static readonly string[] AwsAsia = ["ap-northeast-1", "ap-southeast-1", "ap-south-1"];
    private static readonly string[] AwsMiddleEast = ["me-central-1", "eu-central-1"];
    private static readonly string[] GcpNorthAmerica = ["us-central1", "us-east4", "us-west1"];
    private static readonly string[] GcpEurope = ["europe-west4", "europe-west1"];
    private static readonly string[] GcpAsia = ["asia-northeast1", "asia-southeast1"];
    private static readonly string[] GcpMiddleEast = ["me-central2", "europe-west4"];
    private static readonly string[] AzureNorthAmerica = ["eastus", "southcentralus", "westus3"];
    private static readonly string[] AzureEurope = ["westeurope", "swedencentral"];
    private static readonly string[] AzureAsia = ["japaneast", "southeastasia"];
    private static readonly string[] AzureMiddleEast = ["uaenorth", "westeurope"];
    private static readonly string[] AzureZones = ["1", "2", "3"];

    public static string Near(CloudProvider provider, Continent continent, SimRandom random) =>
        random.Pick(Table(provider, continent));

    /// <summary>A region of <paramref name="provider"/> on another continent than <paramref name="home"/>.</summary>
    public static string Elsewhere(CloudProvider provider, Continent home, SimRandom random)
    {
        Continent[] others = home switch
        {
            Continent.NorthAmerica => [Continent.Europe, Continent.Asia],
            Continent.Europe or Continent.MiddleEast or Continent.Africa => [Continent.NorthAmerica, Continent.Asia],
            _ => [Continent.NorthAmerica, Continent.Europe],
        };
        return Near(provider, random.Pick(others), random);
    }

    public static string Zone(CloudProvider provider, string region, SimRandom random) => provider switch
    {
        CloudProvider.Aws => region + (char)('a' + random.Below(3)),
        CloudProvider.Gcp => region + "-" + (char)('a' + random.Below(3)),
        _ => random.Pick(AzureZones),
    };

    private static string[] Table(CloudProvider provider, Continent continent) => (provider, continent) switch
    {
        (CloudProvider.Aws, Continent.NorthAmerica or Continent.SouthAmerica) => AwsNorthAmerica,
        (CloudProvider.Aws, Continent.Europe or Continent.Africa) => AwsEurope,
        (CloudProvider.Aws, Continent.MiddleEast) => AwsMiddleEast,
        (CloudProvider.Aws, _) => AwsAsia,
        (CloudProvider.Gcp, Continent.NorthAmerica or Continent.SouthAmerica) => GcpNorthAmerica,
        (CloudProvider.Gcp, Continent.Europe or Continent.Africa) => GcpEurope,
        (CloudProvider.Gcp, Continent.MiddleEast) => GcpMiddleEast,
        (CloudProvider.Gcp, _) => GcpAsia,
        (_, Continent.NorthAmerica or Continent.SouthAmerica) => AzureNorthAmerica,
        (_, Continent.Europe or Continent.Africa) => AzureEurope,
        (_, Continent.MiddleEast) => AzureMiddleEast,
        _ => AzureAsia,
    };
}
