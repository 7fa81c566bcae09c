using System.Text;
using UsageSentinel.Core.Catalog;

namespace UsageSentinel.Core.Tests.Catalog;

public class GpuCatalogTests
{
    [Theory]
    [InlineData("p4d.24xlarge", "A100", 8)]
    [InlineData("p4de.24xlarge", "A100", 8)]
    [InlineData("p5.48xlarge", "H100-SXM", 8)]
    [InlineData("p5e.48xlarge", "H200", 8)]
    [InlineData("p5en.48xlarge", "H200", 8)]
    [InlineData("p6-b200.48xlarge", "B200", 8)]
    [InlineData("Standard_ND96asr_v4", "A100", 8)]
    [InlineData("Standard_ND96amsr_A100_v4", "A100", 8)]
    [InlineData("Standard_ND96isr_H100_v5", "H100-SXM", 8)]
    [InlineData("Standard_ND96isr_H200_v5", "H200", 8)]
    [InlineData("a2-highgpu-1g", "A100", 1)]
    [InlineData("a2-highgpu-2g", "A100", 2)]
    [InlineData("a2-highgpu-4g", "A100", 4)]
    [InlineData("a2-highgpu-8g", "A100", 8)]
    [InlineData("a2-megagpu-16g", "A100", 16)]
    [InlineData("a2-ultragpu-1g", "A100", 1)]
    [InlineData("a2-ultragpu-2g", "A100", 2)]
    [InlineData("a2-ultragpu-4g", "A100", 4)]
    [InlineData("a2-ultragpu-8g", "A100", 8)]
    [InlineData("a3-highgpu-8g", "H100-SXM", 8)]
    [InlineData("a3-megagpu-8g", "H100-SXM", 8)]
    [InlineData("a3-ultragpu-8g", "H200", 8)]
    public void Default_KnownInstanceType_MapsToModelAndCount(string type, string model, int gpus)
    {
        GpuCatalog.Default.TryGetInstanceType(type, out var spec).ShouldBeTrue();
        spec.GpuModel.Name.ShouldBe(model);
        spec.GpuCount.ShouldBe(gpus);
        spec.FabricGbps.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("A100", 312, 4992, ExportClass.Eccn3A090a)]
    [InlineData("A800", 312, 4992, ExportClass.Eccn3A090a)]
    [InlineData("H100-SXM", 989.4, 15830, ExportClass.Eccn3A090a)]
    [InlineData("H100-PCIe", 756, 12096, ExportClass.Eccn3A090a)]
    [InlineData("H800", 989.4, 15830, ExportClass.Eccn3A090a)]
    [InlineData("H20", 148, 2368, ExportClass.NotControlled)]
    [InlineData("H200", 989, 15830, ExportClass.Eccn3A090a)]
    [InlineData("B200", 2250, 36000, ExportClass.Eccn3A090a)]
    [InlineData("L40S", 362, 5864, ExportClass.Eccn3A090a)]
    public void Default_Model_HasReferenceFiguresAndExportClass(string model, double tflops, double tpp, ExportClass exportClass)
    {
        GpuCatalog.Default.TryGetModel(model, out var spec).ShouldBeTrue();
        spec.DenseBf16TFlops.ShouldBe(tflops);
        spec.Tpp.ShouldBe(tpp);
        spec.ExportClass.ShouldBe(exportClass);
    }

    [Theory]
    [InlineData("h100")]
    [InlineData("H100 SXM5")]
    [InlineData("h100_sxm")]
    public void TryGetModel_Alias_IgnoresCaseAndPunctuation(string alias)
    {
        GpuCatalog.Default.TryGetModel(alias, out var spec).ShouldBeTrue();
        spec.Name.ShouldBe("H100-SXM");
    }

    [Fact]
    public void ExportClass_DensityRule_ControlsMidTppDenseChips()
    {
        new GpuModelSpec("dense", 100, 2000, 300).ExportClass.ShouldBe(ExportClass.Eccn3A090a); // PD 6.67
        new GpuModelSpec("sparse", 100, 2000, 400).ExportClass.ShouldBe(ExportClass.NotControlled); // PD 5.0
        new GpuModelSpec("small", 50, 1500, 100).ExportClass.ShouldBe(ExportClass.NotControlled); // TPP < 1600
    }

    [Fact]
    public void Extend_OverridesAndAddsEntries()
    {
        var json = """
            { "gpu_models": [ { "name": "X1", "dense_bf16_tflops": 500, "tpp": 8000, "die_area_mm2": 700 } ],
              "instance_types": [ { "name": "x1.big", "gpu_model": "X1", "gpu_count": 4, "fabric_gbps": 800 },
                                  { "name": "p5.48xlarge", "gpu_model": "H100-SXM", "gpu_count": 4, "fabric_gbps": 3200 } ] }
            """;
        var catalog = GpuCatalog.Default.Extend(Encoding.UTF8.GetBytes(json));
        catalog.TryGetInstanceType("x1.big", out var x1).ShouldBeTrue();
        x1.GpuModel.DenseBf16TFlops.ShouldBe(500);
        catalog.TryGetInstanceType("p5.48xlarge", out var p5).ShouldBeTrue();
        p5.GpuCount.ShouldBe(4);
        GpuCatalog.Default.TryGetInstanceType("p5.48xlarge", out var original).ShouldBeTrue();
        original.GpuCount.ShouldBe(8);
    }

    [Fact]
    public void Extend_InstanceTypeWithUnknownModel_FailsNamingTheEntry()
    {
        var json = """{ "instance_types": [ { "name": "z.1", "gpu_model": "Nope", "gpu_count": 1 } ] }""";
        var ex = Should.Throw<FormatException>(() => GpuCatalog.Default.Extend(Encoding.UTF8.GetBytes(json)));
        ex.Message.ShouldContain("z.1");
        ex.Message.ShouldContain("Nope");
    }
}
