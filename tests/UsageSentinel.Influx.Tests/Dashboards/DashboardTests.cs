using System.Text.Json.Nodes;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;
using UsageSentinel.TestKit.Dashboards;
using YamlDotNet.RepresentationModel;

namespace UsageSentinel.Influx.Tests.Dashboards;

/// <summary>The exported dashboards only query what the writer produces, have stable unique uids and take the data source as a variable.</summary>
public sealed class DashboardTests
{
    private static readonly IReadOnlyList<DashboardFile> All = DashboardFile.LoadAll();

    public static TheoryData<string> Names => [.. DashboardFile.Names];

    private static DashboardFile Load(string name) => All.Single(d => d.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Queries_EveryTargetAndVariable_ReferenceOnlyMeasurementsFieldsAndTagsTheWriterProduces(string name)
    {
        var dashboard = Load(name);
        var problems = new List<string>();

        foreach (var panel in dashboard.Panels)
        {
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                ((bool?)target!["rawQuery"]).ShouldBe(true, $"{name} panel '{panel["title"]}' must use a raw InfluxQL query");
                problems.AddRange(InfluxQlReferences.Problems((string)target["query"]!, (string?)target["alias"]).Select(p => $"{name} '{panel["title"]}' {target["refId"]}: {p}"));
            }
        }

        foreach (var (where, query) in dashboard.Queries.Where(q => q.Where.Contains("variable", StringComparison.Ordinal)))
        {
            problems.AddRange(InfluxQlReferences.Problems(query).Select(p => $"{where}: {p}"));
        }

        problems.ShouldBeEmpty();
        dashboard.Queries.Count().ShouldBeGreaterThan(5);
    }

    [Fact]
    public void Uids_AllDashboards_AreSetStableAndUnique()
    {
        var uids = All.Select(d => (string?)d.Json["uid"]).ToList();

        uids.ShouldBe(["usage-sentinel-fleet", "usage-sentinel-anomalies", "usage-sentinel-account"]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Datasource_EveryPanelAndTarget_UsesTheDatasourceVariable(string name)
    {
        var dashboard = Load(name);

        var variable = dashboard.Variables.Where(v => (string?)v["name"] == "datasource").ShouldHaveSingleItem();
        ((string?)variable["type"]).ShouldBe("datasource");
        ((string?)variable["query"]).ShouldBe("influxdb");
        dashboard.Json.ContainsKey("__inputs").ShouldBeFalse();
        ((int?)dashboard.Json["schemaVersion"]).ShouldBe(39);
        foreach (var node in DatasourceReferences(dashboard))
        {
            node.Uid.ShouldBe("${datasource}", $"{name}: {node.Where} hard-codes its data source");
        }

        DatasourceReferences(dashboard).Count().ShouldBeGreaterThan(dashboard.Panels.Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Panels_Ids_AreUniqueWithinTheDashboard(string name)
    {
        var ids = Load(name).Panels.Select(p => (int)p["id"]!).ToList();

        ids.Distinct().Count().ShouldBe(ids.Count);
    }

    [Fact]
    public void Account_DrillDown_HasAnAccountVariableUsedByEveryPanel()
    {
        var account = Load("usage-sentinel-account.json");

        account.Variables.ShouldContain(v => (string?)v["name"] == "account");
        account.Queries.Where(q => q.Where.Contains("target", StringComparison.Ordinal)).ShouldAllBe(q => q.Query.Contains("$account", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SELECT mean(\"nope\") FROM \"worker_health\" WHERE $timeFilter", "\"nope\" is not a field or tag of worker_health")]
    [InlineData("SELECT mean(\"lag\") FROM \"worker_lag\" WHERE $timeFilter", "unknown measurement \"worker_lag\"")]
    [InlineData("SELECT count(\"score\") FROM \"anomalies\" WHERE $timeFilter GROUP BY time($__interval), \"account_id\"", "GROUP BY \"account_id\" is not a tag")]
    [InlineData("SELECT mean(lag) FROM worker_topic", "a FROM without a double-quoted measurement")]
    [InlineData("SHOW TAG VALUES FROM \"anomalies\" WITH KEY = \"dedup_key\"", "WITH KEY \"dedup_key\" is not a tag")]
    public void Problems_QueryOfSomethingTheWriterDoesNotProduce_IsReported(string query, string expected)
    {
        InfluxQlReferences.Problems(query).ShouldContain(expected);
    }

    [Fact]
    public void Problems_AliasOfAnUnknownTag_IsReported()
    {
        InfluxQlReferences.Problems("SELECT mean(\"lag\") FROM \"worker_topic\" GROUP BY \"topic\"", "$tag_partition").ShouldContain("alias $tag_partition is not a tag");
    }

    [Fact]
    public void Provisioning_DashboardProvider_LoadsJsonFromTheFolderComposeMounts()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(RepositoryRoot.File("dashboards", "provisioning", "dashboards", "usage-sentinel.yaml")))
        {
            yaml.Load(reader);
        }

        var provider = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["providers"]).Children.ShouldHaveSingleItem();
        ((YamlScalarNode)provider["type"]).Value.ShouldBe("file");
        ((YamlScalarNode)((YamlMappingNode)provider["options"])["path"]).Value.ShouldBe(Deployment.ComposeFile.DashboardsMountTarget);
    }

    [Fact]
    public void Provisioning_Datasource_IsInfluxQlWithoutSecretsInTheFile()
    {
        var text = File.ReadAllText(RepositoryRoot.File("dashboards", "provisioning", "datasources", "influxdb.yaml"));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));

        var datasource = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["datasources"]).Children.ShouldHaveSingleItem();
        ((YamlScalarNode)datasource["type"]).Value.ShouldBe("influxdb");
        ((YamlMappingNode)datasource["jsonData"]).Children.ContainsKey(new YamlScalarNode("version")).ShouldBeFalse("InfluxQL is the default query language; Flux would break the dashboards");
        ((YamlScalarNode)((YamlMappingNode)datasource["secureJsonData"])["httpHeaderValue1"]).Value.ShouldBe("Token ${INFLUX_TOKEN}");
    }

    private static IEnumerable<(string Where, string? Uid)> DatasourceReferences(DashboardFile dashboard)
    {
        foreach (var panel in dashboard.Panels)
        {
            yield return ($"panel '{panel["title"]}'", Uid(panel["datasource"]));
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                yield return ($"panel '{panel["title"]}' target {target!["refId"]}", Uid(target["datasource"]));
            }
        }

        foreach (var variable in dashboard.Variables.Where(v => (string?)v["type"] == "query"))
        {
            yield return ($"variable {variable["name"]}", Uid(variable["datasource"]));
        }
    }

    private static string? Uid(JsonNode? datasource) => datasource switch
    {
        JsonObject o => (string?)o["uid"],
        JsonValue v => (string?)v,
        _ => null,
    };
}
