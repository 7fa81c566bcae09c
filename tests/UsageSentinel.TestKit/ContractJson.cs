using System.Globalization;

namespace UsageSentinel.TestKit;

/// <summary>Contract events as JSON text, as a producer would write them (shared/EVENTS.md).</summary>
public static class ContractJson
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Launch(string eventId, string account, DateTimeOffset at, string instanceId, string instanceType = "p5.48xlarge", string region = "us-east-1", string? placementGroup = null) =>
        $$"""{"event_id":"{{eventId}}","event_type":"instance.launched","occurred_at":"{{Time(at)}}","account_id":"{{account}}","instance_id":"{{instanceId}}","instance_type":"{{instanceType}}","region":"{{region}}"{{(placementGroup is null ? "" : $",\"placement_group\":\"{placementGroup}\"")}}}""";

    public static string Terminate(string eventId, string account, DateTimeOffset at, string instanceId) =>
        $$"""{"event_id":"{{eventId}}","event_type":"instance.terminated","occurred_at":"{{Time(at)}}","account_id":"{{account}}","instance_id":"{{instanceId}}"}""";

    public static string Access(string eventId, string account, DateTimeOffset at, string principal = "alice") =>
        $$"""{"event_id":"{{eventId}}","event_type":"instance.access","occurred_at":"{{Time(at)}}","account_id":"{{account}}","principal_id":"{{principal}}","source_country":"US"}""";

    public static string Charge(string eventId, string account, DateTimeOffset at, decimal amount) =>
        $$"""{"event_id":"{{eventId}}","event_type":"billing.charge","occurred_at":"{{Time(at)}}","account_id":"{{account}}","amount":{{amount.ToString(CultureInfo.InvariantCulture)}},"currency":"USD","usage_type":"gpu_instance"}""";

    /// <summary>A big co-located cluster (512 x p5.48xlarge = 4,096 H100) that projects and then crosses 1e23 FLOP within a day, with an access event every hour for <paramref name="hours"/> hours.</summary>
    public static IEnumerable<(string Key, string Value)> TrainingRun(string account, DateTimeOffset start, int hours, string prefix)
    {
        for (var i = 0; i < 512; i++)
        {
            yield return (account, Launch($"{prefix}-l{i}", account, start.AddSeconds(i), $"{prefix}-i{i}", placementGroup: "pg-train"));
        }

        for (var h = 1; h <= hours; h++)
        {
            yield return (account, Access($"{prefix}-a{h}", account, start.AddHours(h)));
        }
    }
}
