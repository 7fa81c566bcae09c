using UsageSentinel.Core.Events;

namespace UsageSentinel.TestKit;

/// <summary>Builders of contract events for tests.</summary>
public static class A
{
    public static InstanceLaunched Launch(string account, string instanceId, DateTimeOffset at, string instanceType = "p5.48xlarge", string region = "us-east-1", string? placementGroup = null, int? gpuCount = null, string? gpuModel = null) =>
        new(Some.EventId(), account, at)
        {
            InstanceId = instanceId,
            InstanceType = instanceType,
            Region = region,
            PlacementGroup = placementGroup,
            GpuCount = gpuCount,
            GpuModel = gpuModel,
        };

    public static InstanceTerminated Terminate(string account, string instanceId, DateTimeOffset at) =>
        new(Some.EventId(), account, at) { InstanceId = instanceId };

    public static AccountUpserted Profile(string account, DateTimeOffset at, bool allowlisted = false, string declaredCountry = "US") =>
        new(Some.EventId(), account, at) { Allowlisted = allowlisted, DeclaredCountry = declaredCountry };

    public static InstanceAccessed Access(string account, DateTimeOffset at, string principal = "alice") =>
        new(Some.EventId(), account, at) { PrincipalId = principal };

    /// <summary>A cluster of <paramref name="instances"/> instances in one placement group, launched together and terminated after <paramref name="duration"/> (null: left running).</summary>
    public static IEnumerable<AccountEvent> Cluster(string account, int instances, DateTimeOffset start, TimeSpan? duration, string instanceType = "p5.48xlarge", string region = "us-east-1", string placementGroup = "pg-1")
    {
        var ids = Enumerable.Range(0, instances).Select(i => $"{account}-{placementGroup}-{i}").ToArray();
        foreach (var id in ids)
        {
            yield return Launch(account, id, start, instanceType, region, placementGroup);
        }

        if (duration is { } d)
        {
            foreach (var id in ids)
            {
                yield return Terminate(account, id, start + d);
            }
        }
    }
}
