using System.Diagnostics;
using UsageSentinel.Influx.Tests.Support;
using UsageSentinel.TestKit;
using YamlDotNet.RepresentationModel;

namespace UsageSentinel.Influx.Tests.Deployment;

/// <summary>Runs <c>docker-compose config</c> on docker/compose.yaml (parses and interpolates; no container engine needed).</summary>
public static class ComposeFile
{
    /// <summary>Where compose mounts dashboards/ in the Grafana container; the dashboard provider reads it.</summary>
    public const string DashboardsMountTarget = "/var/lib/grafana/dashboards/usage-sentinel";

    public static string Path => RepositoryRoot.File("docker", "compose.yaml");

    public static string ExampleEnv => RepositoryRoot.File("docker", ".env.example");

    public static async Task<(int ExitCode, string Output, string Error)> ConfigAsync(string envFile)
    {
        var start = new ProcessStartInfo("docker-compose")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in (string[])["--env-file", envFile, "-f", Path, "config"])
        {
            start.ArgumentList.Add(argument);
        }

        // Only the env file may supply the variables.
        foreach (var name in (string[])["INFLUX_TOKEN", "INFLUX_ADMIN_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "INFLUX_ORG", "INFLUX_BUCKET"])
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Parses the resolved configuration and returns its <c>services</c> mapping.</summary>
    public static YamlMappingNode Services(string resolved)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(resolved));
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    /// <summary>Returns a service's bind mounts as (absolute source, target); named volumes are left out.</summary>
    public static IReadOnlyList<(string Source, string Target)> BindMounts(YamlMappingNode service)
    {
        if (!service.Children.TryGetValue(new YamlScalarNode("volumes"), out var volumes))
        {
            return [];
        }

        var mounts = new List<(string, string)>();
        foreach (var volume in ((YamlSequenceNode)volumes).Children)
        {
            if (volume is YamlScalarNode { Value: { } text })
            {
                var parts = text.Split(':');
                if (parts[0].StartsWith('/'))
                {
                    mounts.Add((parts[0], parts[1]));
                }
            }
            else if (volume is YamlMappingNode map && ((YamlScalarNode)map["type"]).Value == "bind")
            {
                mounts.Add((((YamlScalarNode)map["source"]).Value!, ((YamlScalarNode)map["target"]).Value!));
            }
        }

        return mounts;
    }

    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service["environment"]).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? string.Empty);
}
