using UsageSentinel.Simulation.Geography;

namespace UsageSentinel.Simulation.Engine;

/// <summary>One planned <c>instance.access</c>.</summary>
internal sealed record AccessSession(Principal Principal, NetworkOrigin Origin, string? InstanceId, string Protocol);
