using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Engine;

/// <summary>A user, role or key identity of an account, with the network it usually calls from and its SSH key.</summary>
internal sealed record Principal(string Id, NetworkOrigin Origin, string SshKeyFingerprint);
