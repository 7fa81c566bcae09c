using System.CommandLine;
using Microsoft.Extensions.Configuration;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.Cli.Commands;

/// <summary>
/// <c>usage-sentinel health</c>: asks a worker on this machine or container for <c>/health/live</c> (or
/// <c>/health/ready</c>) and exits 0 when it answers 200, 1 otherwise: the Docker <c>HEALTHCHECK</c>, as the runtime
/// image has neither curl nor wget. It reads the same <c>Health</c> settings as <c>run</c>, so the port matches.
/// </summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var ready = new Option<bool>("--ready") { Description = "Probe readiness (partitions assigned) instead of liveness." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long to wait for the answer.", DefaultValueFactory = _ => TimeSpan.FromSeconds(5) };
        var command = new Command("health", "Probe the health endpoint of a worker running here; exit 0 when healthy, 1 otherwise. Settings as for run (--Health:Port=…).")
        {
            ready,
            timeout,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new HealthOptions();
            SentinelConfiguration.Build(parse.UnmatchedTokens).GetSection(HealthOptions.SectionName).Bind(options);
            return await HealthProbe.RunAsync(options, parse.GetValue(ready), parse.GetValue(timeout), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}
