namespace UsageSentinel.Core.Catalog;

/// <summary>What an instance type carries.</summary>
/// <param name="Name">Provider SKU, e.g. <c>p5.48xlarge</c>.</param>
/// <param name="Provider">Cloud provider, e.g. <c>aws</c>.</param>
/// <param name="GpuModel">The GPU model.</param>
/// <param name="GpuCount">GPUs per instance.</param>
/// <param name="FabricGbps">Scale-out fabric bandwidth in Gbit/s.</param>
public sealed record InstanceTypeSpec(string Name, string Provider, GpuModelSpec GpuModel, int GpuCount, double FabricGbps);
