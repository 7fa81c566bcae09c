using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Dashboards;

namespace UsageSentinel.Influx.Tests.Dashboards;

/// <summary>Every dashboard query, with Grafana's macros filled in, runs on a real InfluxDB 1.6.7 over data the writer wrote.</summary>
[Collection(InfluxDbCollection.Name)]
public sealed class DashboardQueryTests(InfluxDbFixture server)
{
    [Theory]
    [MemberData(nameof(DashboardTests.Names), MemberType = typeof(DashboardTests))]
    public async Task Queries_OnInfluxDb16_RunWithoutErrorsAndFindTheWritersData(string name)
    {
        var account = Some.AccountId();
        await using (var host = await MetricsHost.StartAsync(server.V1Settings("dashboards")))
        {
            host.Writer.WriteAccountUsage(Samples.Usage(account));
            host.Writer.WriteDetectorScore(Samples.Score(account));
            host.Writer.WriteAnomaly(Samples.Anomaly(account, severity: UsageSentinel.Core.Anomalies.Severity.Critical));

            // Two health samples an hour apart, so the per-minute derivatives have something to differentiate.
            host.Writer.WriteWorkerHealth(Samples.Health(deadLetters: 7));
            host.Writer.WriteWorkerHealth(Samples.Health(deadLetters: 10, at: Some.Epoch.AddHours(5)));
            await host.WaitWrittenAsync(10);
        }

        var dashboard = DashboardFile.LoadAll().Single(d => d.Name == name);
        var empty = new List<string>();
        foreach (var (where, query) in dashboard.Queries)
        {
            if ((await server.QueryAsync(Expand(query, account))).Count == 0)
            {
                empty.Add($"{where}: {query}");
            }
        }

        empty.ShouldBeEmpty("every query should find the data just written");
    }

    private static string Expand(string query, string account) =>
        DashboardFile.Expand(query, account, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
}
