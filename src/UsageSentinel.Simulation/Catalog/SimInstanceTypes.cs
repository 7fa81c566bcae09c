namespace UsageSentinel.Simulation.Catalog;

/// <summary>The instance types the simulation launches; names and GPU figures match Core's GPU catalog.</summary>
internal static class SimInstanceTypes
{
    public static readonly SimInstanceType P4d = new("p4d.24xlarge", CloudProvider.Aws, "A100", "A100-SXM4-40GB", 8, 312, 400, 32.77m);
    public static readonly SimInstanceType P5 = new("p5.48xlarge", CloudProvider.Aws, "H100-SXM", "H100-SXM5-80GB", 8, 989.4, 3200, 98.32m);
    public static readonly SimInstanceType G6eXlarge = new("g6e.xlarge", CloudProvider.Aws, "L40S", "L40S-48GB", 1, 362, 20, 1.86m);
    public static readonly SimInstanceType A2High1 = new("a2-highgpu-1g", CloudProvider.Gcp, "A100", "A100-40GB", 1, 312, 24, 3.67m);
    public static readonly SimInstanceType A2High2 = new("a2-highgpu-2g", CloudProvider.Gcp, "A100", "A100-40GB", 2, 312, 32, 7.35m);
    public static readonly SimInstanceType A2High4 = new("a2-highgpu-4g", CloudProvider.Gcp, "A100", "A100-40GB", 4, 312, 50, 14.69m);
    public static readonly SimInstanceType A2High8 = new("a2-highgpu-8g", CloudProvider.Gcp, "A100", "A100-40GB", 8, 312, 100, 29.39m);
    public static readonly SimInstanceType A3High8 = new("a3-highgpu-8g", CloudProvider.Gcp, "H100-SXM", "H100-80GB", 8, 989.4, 1000, 88.25m);
    public static readonly SimInstanceType A3Mega8 = new("a3-megagpu-8g", CloudProvider.Gcp, "H100-SXM", "H100-80GB", 8, 989.4, 1800, 93.10m);
    public static readonly SimInstanceType NdA100V4 = new("Standard_ND96asr_v4", CloudProvider.Azure, "A100", "A100-SXM4-40GB", 8, 312, 1600, 27.20m);
    public static readonly SimInstanceType NdH100V5 = new("Standard_ND96isr_H100_v5", CloudProvider.Azure, "H100-SXM", "H100-SXM", 8, 989.4, 3200, 98.32m);

    public static readonly IReadOnlyList<SimInstanceType> All =
        [P4d, P5, G6eXlarge, A2High1, A2High2, A2High4, A2High8, A3High8, A3Mega8, NdA100V4, NdH100V5];

    /// <summary>The H100 8-GPU type of each cloud, for large clusters.</summary>
    public static SimInstanceType H100Cluster(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => P5,
        CloudProvider.Gcp => A3Mega8,
        _ => NdH100V5,
    };

    /// <summary>The A100 8-GPU type of each cloud.</summary>
    public static SimInstanceType A100Node(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => P4d,
        CloudProvider.Gcp => A2High8,
        _ => NdA100V4,
    };

    /// <summary>An 8-GPU H100 type of each cloud that is not the cluster-fabric one where there is a choice.</summary>
    public static SimInstanceType H100Node(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => P5,
        CloudProvider.Gcp => A3High8,
        _ => NdH100V5,
    };

    /// <summary>Single-GPU types of each cloud (Azure has no single-GPU A100 type in the catalog, so AWS's L40S stands in).</summary>
    public static IReadOnlyList<SimInstanceType> SingleGpu(CloudProvider provider) => provider switch
    {
        CloudProvider.Gcp => [A2High1],
        _ => [G6eXlarge],
    };
}
