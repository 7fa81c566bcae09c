using UsageSentinel.Simulation.Catalog;
using UsageSentinel.Simulation.Tests.Support;

namespace UsageSentinel.Simulation.Tests.Catalog;

public sealed class SimInstanceTypesTests
{
    [Fact]
    public void All_EveryType_MatchesCoresGpuCatalog()
    {
        foreach (SimInstanceType type in SimInstanceTypes.All)
        {
            Compute.CatalogInstance entry = Compute.GpuCatalog.Instances[type.Name];
            entry.GpuModel.ShouldBe(type.GpuModel);
            entry.GpuCount.ShouldBe(type.GpuCount);
            entry.FabricGbps.ShouldBe(type.FabricGbps);
            Compute.GpuCatalog.GpuTflops[type.GpuModel].ShouldBe(type.DenseBf16Tflops);
            Compute.GpuCatalog.GpuModelByAlias[type.WireGpuModel].ShouldBe(type.GpuModel);
        }
    }
}
