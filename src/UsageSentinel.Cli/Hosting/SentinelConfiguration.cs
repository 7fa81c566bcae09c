using Microsoft.Extensions.Configuration;

namespace UsageSentinel.Cli.Hosting;

/// <summary>Configuration sources, lowest precedence first: appsettings.json, USAGESENTINEL__ environment variables, the command line.</summary>
internal static class SentinelConfiguration
{
    public const string EnvironmentPrefix = "USAGESENTINEL__";

    public static void AddSentinelSources(this IConfigurationBuilder builder, IEnumerable<string> overrides)
    {
        builder.Sources.Clear();
        builder.SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine([.. overrides]);
    }

    public static IConfigurationRoot Build(IEnumerable<string> overrides)
    {
        var builder = new ConfigurationBuilder();
        builder.AddSentinelSources(overrides);
        return builder.Build();
    }
}
