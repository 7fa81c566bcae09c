using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UsageSentinel.Influx.Configuration;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;
using YamlDotNet.RepresentationModel;

namespace UsageSentinel.Influx.Tests.Deployment;

/// <summary>docker/compose.yaml validated by the real docker-compose, with the example secrets.</summary>
public sealed class ComposeTests
{
    private static readonly Lazy<Task<YamlMappingNode>> Resolved = new(async () =>
    {
        var (exitCode, output, error) = await ComposeFile.ConfigAsync(ComposeFile.ExampleEnv);
        exitCode.ShouldBe(0, error);
        return ComposeFile.Services(output);
    });

    [Fact]
    public async Task Config_WithExampleEnv_ExitsZeroWithEveryService()
    {
        var services = await Resolved.Value;

        services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ShouldBe(["alertmanager", "grafana", "influxdb", "kafka", "kafka-topics", "simulator", "worker"], ignoreOrder: true);
    }

    [Fact]
    public async Task Config_WithoutSecrets_FailsNamingTheMissingVariable()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var (exitCode, _, error) = await ComposeFile.ConfigAsync(empty);

            exitCode.ShouldNotBe(0);
            error.ShouldContain("INFLUX_");
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task BindMounts_EveryService_PointAtFilesThatExist()
    {
        var services = await Resolved.Value;
        var mounts = services.Children.SelectMany(s => ComposeFile.BindMounts((YamlMappingNode)s.Value).Select(m => (Service: ((YamlScalarNode)s.Key).Value, m.Source, m.Target))).ToList();

        mounts.Count.ShouldBeGreaterThanOrEqualTo(4);
        mounts.ShouldAllBe(m => File.Exists(m.Source) || Directory.Exists(m.Source));
    }

    [Fact]
    public async Task Grafana_Mounts_ProvisioningAndEveryDashboardWhereTheProviderLooks()
    {
        var grafana = (YamlMappingNode)(await Resolved.Value)["grafana"];
        var mounts = ComposeFile.BindMounts(grafana).ToDictionary(m => m.Target, m => m.Source);

        mounts["/etc/grafana/provisioning/datasources"].ShouldBe(RepositoryRoot.File("dashboards", "provisioning", "datasources"));
        mounts["/etc/grafana/provisioning/dashboards"].ShouldBe(RepositoryRoot.File("dashboards", "provisioning", "dashboards"));
        var dashboards = mounts[ComposeFile.DashboardsMountTarget];
        TestKit.Dashboards.DashboardFile.Names.ShouldAllBe(n => File.Exists(Path.Combine(dashboards, n)));
        ComposeFile.Environment(grafana)["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"].ShouldStartWith(ComposeFile.DashboardsMountTarget + "/");
        ComposeFile.Environment(grafana)["INFLUX_TOKEN"].ShouldBe("change-me-influxdb-admin-token");
    }

    [Fact]
    public async Task Worker_MetricsEnvironment_BindsToValidInfluxOptions()
    {
        var worker = (YamlMappingNode)(await Resolved.Value)["worker"];
        var settings = ComposeFile.Environment(worker)
            .Where(e => e.Key.StartsWith("USAGESENTINEL__Metrics__", StringComparison.Ordinal))
            .ToDictionary(e => e.Key["USAGESENTINEL__".Length..].Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        await using var host = MetricsHost.Create(settings);

        var options = host.Services.GetRequiredService<IOptions<InfluxOptions>>().Value;

        settings.Keys.Select(k => k["Metrics:".Length..]).ShouldAllBe(k => typeof(InfluxOptions).GetProperty(k) != null);
        options.Mode.ShouldBe(MetricsMode.V2);
        options.Token.ShouldBe("change-me-influxdb-admin-token");
        options.Bucket.ShouldBe("usage_sentinel");
    }

    [Fact]
    public async Task Services_Stateful_HaveHealthChecksAndTheWorkerWaitsForThem()
    {
        var services = await Resolved.Value;
        var worker = (YamlMappingNode)services["worker"];
        var dependsOn = (YamlMappingNode)worker["depends_on"];

        foreach (var name in (string[])["kafka", "influxdb", "grafana", "alertmanager"])
        {
            ((YamlMappingNode)services[name]).Children.ShouldContainKey(new YamlScalarNode("healthcheck"));
        }

        foreach (var name in (string[])["kafka", "influxdb", "alertmanager"])
        {
            ((YamlScalarNode)((YamlMappingNode)dependsOn[name])["condition"]).Value.ShouldBe("service_healthy");
        }
    }

    [Fact]
    public async Task Worker_ScaledInOneGroup_AlertsToAlertmanager()
    {
        var services = await Resolved.Value;
        var worker = (YamlMappingNode)services["worker"];
        var environment = ((YamlMappingNode)worker["environment"]).Children
            .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value);

        int.Parse(((YamlScalarNode)worker["scale"]).Value!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(1);
        environment["USAGESENTINEL__Kafka__GroupId"].ShouldNotBeNullOrEmpty();
        environment["USAGESENTINEL__Alerting__Receivers__am__Type"].ShouldBe("alertmanager");
        environment["USAGESENTINEL__Alerting__Receivers__am__Url"].ShouldBe("http://alertmanager:9093");
        environment["USAGESENTINEL__Alerting__Routes__0__Receivers__0"].ShouldBe("am");
        var simulator = (YamlMappingNode)services["simulator"];
        ((YamlSequenceNode)simulator["command"]).Children.Select(c => ((YamlScalarNode)c).Value).ShouldContain("kafka:9092");
    }

    [Fact]
    public async Task Worker_HealthCheck_ProbesLivenessWithItsOwnVerb()
    {
        var worker = (YamlMappingNode)(await Resolved.Value)["worker"];
        var healthcheck = (YamlMappingNode)worker["healthcheck"];
        var test = ((YamlSequenceNode)healthcheck["test"]).Children.Select(c => ((YamlScalarNode)c).Value).ToList();

        test[0].ShouldBe("CMD");
        test.ShouldContain("usage-sentinel");
        test[^1].ShouldBe("health");
        foreach (var key in (string[])["interval", "timeout", "retries", "start_period"])
        {
            healthcheck.Children.ShouldContainKey(new YamlScalarNode(key));
        }

        ComposeFile.Environment(worker).Keys.ShouldNotContain(k => k.StartsWith("USAGESENTINEL__Health__", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_Runtime_HasAHealthCheckThroughTheHealthVerb()
    {
        var text = File.ReadAllText(RepositoryRoot.File("docker", "Dockerfile"));

        text.ShouldContain("HEALTHCHECK ");
        text.ShouldContain("\"usage-sentinel\", \"health\"]");
        text.ShouldContain("EXPOSE 8080");
    }

    [Fact]
    public void Dockerfile_Runtime_IsNonRootAndRunsTheWorker()
    {
        var lines = File.ReadAllLines(RepositoryRoot.File("docker", "Dockerfile"));

        lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ShouldBe(2);
        lines.ShouldContain(l => l.Contains("dotnet publish src/UsageSentinel.Cli/UsageSentinel.Cli.csproj", StringComparison.Ordinal));
        lines.ShouldContain("USER $APP_UID");
        lines.Last(l => l.Length > 0).ShouldBe("ENTRYPOINT [\"usage-sentinel\", \"run\"]");
        File.ReadAllText(RepositoryRoot.File("src", "UsageSentinel.Cli", "UsageSentinel.Cli.csproj")).ShouldContain("<AssemblyName>usage-sentinel</AssemblyName>");
    }
}
