using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UsageSentinel.Worker.Pipeline;
using Microsoft.Extensions.Options;
using Serilog;
using UsageSentinel.Cli.Hosting;

namespace UsageSentinel.Cli.Commands;

/// <summary><c>usage-sentinel run</c>: the worker against the configured Kafka.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the worker against the configured Kafka. Settings: appsettings.json, USAGESENTINEL__Section__Key environment variables, or --Section:Key=value arguments.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = SentinelConfiguration.Build(parse.UnmatchedTokens);
            await using var logger = SentinelLogging.ForWorker(configuration);
            try
            {
                using var host = WorkerHostFactory.Create(parse.UnmatchedTokens, logger);
                await host.RunAsync(cancellationToken);

                // A fatal error stops the host; on .NET 10 the process would still exit 0.
                var pipeline = host.Services.GetRequiredService<KafkaPipelineService>();
                var failed = pipeline.ExecuteTask is { IsFaulted: true }
                    || host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask is { IsFaulted: true });
                return failed ? ExitCodes.Failure : ExitCodes.Ok;
            }
            catch (SocketException)
            {
                // The health endpoint's port is taken; HealthEndpointService logged which one and what to set.
                return ExitCodes.Failure;
            }
            catch (OptionsValidationException ex)
            {
                return ConfigurationErrors.Report(ex, Console.Error);
            }
            catch (InvalidOperationException ex) when (ex.InnerException is OptionsValidationException inner)
            {
                return ConfigurationErrors.Report(inner, Console.Error);
            }
        });
        return command;
    }
}
