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

    public static InstanceAccessed Access(string account, DateTimeOffset at, string principal = "alice", string? country = null, long? asn = null, bool? anonymizer = null) =>
        new(Some.EventId(), account, at) { PrincipalId = principal, SourceCountry = country, SourceAsn = asn, Anonymizer = anonymizer };

    public static PaymentMade Payment(string account, DateTimeOffset at, string kind = "card", string fingerprint = "fp-1", bool thirdParty = false, decimal amount = 1000m) =>
        new(Some.EventId(), account, at) { Amount = amount, Currency = "USD", Method = new PaymentMethod(fingerprint, kind, null), ThirdParty = thirdParty };

    public static UsageBilled Charge(string account, DateTimeOffset at, decimal amount) =>
        new(Some.EventId(), account, at) { Amount = amount, Currency = "USD", UsageType = "gpu_instance" };

    public static AccountUpserted Profile(string account, DateTimeOffset at, string declaredCountry, string entityType, string kyc, DateTimeOffset? createdAt = null, bool allowlisted = false) =>
        new(Some.EventId(), account, at) { DeclaredCountry = declaredCountry, EntityType = entityType, KycStatus = kyc, CreatedAt = createdAt, Allowlisted = allowlisted };

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
