namespace UsageSentinel.Simulation.Catalog;

internal enum CloudProvider
{
    Aws,
    Gcp,
    Azure,
}
