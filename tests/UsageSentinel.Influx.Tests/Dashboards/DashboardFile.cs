using System.Text.Json.Nodes;
using UsageSentinel.Influx.Tests.Support;

namespace UsageSentinel.Influx.Tests.Dashboards;

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
