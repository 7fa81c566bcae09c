using System.Text.Json.Nodes;

namespace UsageSentinel.TestKit.Dashboards;

/// <summary>One exported dashboard: its JSON, panels (rows flattened), InfluxQL targets and query variables.</summary>
public sealed class DashboardFile
{
    private DashboardFile(string name, JsonObject json)
    {
        Name = name;
        Json = json;
    }

    public static IReadOnlyList<string> Names { get; } = ["usage-sentinel-fleet.json", "usage-sentinel-anomalies.json", "usage-sentinel-account.json"];

    public string Name { get; }

    public JsonObject Json { get; }

    public IEnumerable<JsonObject> Panels => Flatten(Json["panels"]!.AsArray());

    public IEnumerable<JsonObject> Variables => Json["templating"]!["list"]!.AsArray().Select(v => v!.AsObject());

    /// <summary>Gets every InfluxQL query: panel targets and query variables, with where they are for messages.</summary>
    public IEnumerable<(string Where, string Query)> Queries =>
        Panels.SelectMany(p => p["targets"]?.AsArray() ?? [])
            .Select(t => ($"{Name} target {t!["refId"]}", (string)t["query"]!))
            .Concat(Variables.Where(v => (string?)v["type"] == "query").Select(v => ($"{Name} variable {v["name"]}", (string)v["query"]!)));

    public static IReadOnlyList<DashboardFile> LoadAll() =>
        [.. Names.Select(n => new DashboardFile(n, JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("dashboards", n)))!.AsObject()))];

    /// <summary>Substitutes the dashboards' variables as Grafana would, for running a query directly.</summary>
    /// <param name="query">The InfluxQL query.</param>
    /// <param name="account">The account of the drill-down.</param>
    /// <param name="from">The start of the time range.</param>
    /// <param name="to">The end of the time range.</param>
    /// <param name="interval">Grafana's <c>$__interval</c>, e.g. <c>1h</c>.</param>
    /// <returns>The query to run.</returns>
    public static string Expand(string query, string account, DateTimeOffset from, DateTimeOffset to, string interval = "1h") => query
        .Replace("$timeFilter", $"time >= '{from.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}' AND time < '{to.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}'", StringComparison.Ordinal)
        .Replace("$__interval", interval, StringComparison.Ordinal)
        .Replace("$worker", ".*", StringComparison.Ordinal)
        .Replace("$detector", ".*", StringComparison.Ordinal)
        .Replace("$severity", ".*", StringComparison.Ordinal)
        .Replace("$account", account, StringComparison.Ordinal);

    private static IEnumerable<JsonObject> Flatten(JsonArray panels)
    {
        foreach (var panel in panels.Select(p => p!.AsObject()))
        {
            yield return panel;
            if (panel["panels"] is JsonArray nested)
            {
                foreach (var inner in Flatten(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
