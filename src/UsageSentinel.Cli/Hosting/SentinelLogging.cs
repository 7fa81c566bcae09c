using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace UsageSentinel.Cli.Hosting;

/// <summary>Serilog setup: compact JSON to stdout for the worker, quiet stderr for interactive verbs.</summary>
internal static class SentinelLogging
{
    public static Serilog.Core.Logger ForWorker(IConfiguration configuration) =>
        new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            // The health check service logs every unhealthy probe as an error; the health endpoint logs status changes instead.
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
            .Enrich.FromLogContext()
            .WriteTo.Console(new CompactJsonFormatter())
            .CreateLogger();

    public static Serilog.Core.Logger ForInteractive(LogEventLevel minimum) =>
        new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.FromLogContext()
            .WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
}
