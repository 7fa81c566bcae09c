using System.Net.Sockets;
using UsageSentinel.Cli.Hosting;
using UsageSentinel.Worker.Health;

namespace UsageSentinel.Cli.Commands;

/// <summary>One HTTP probe of the worker's health endpoint; only exit codes 0 (healthy) and 1, as Docker expects.</summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync(HealthOptions options, bool ready, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!options.Enabled)
        {
            await error.WriteLineAsync("usage-sentinel health: Health:Enabled is false, there is no endpoint to probe.");
            return ExitCodes.Failure;
        }

        if (!HealthEndpoint.TryGetListenHost(options.Address, out _) || options.Port is < 1 or > 65_535)
        {
            await error.WriteLineAsync($"usage-sentinel health: Health:Address '{options.Address}' or Health:Port {options.Port} is not valid.");
            return ExitCodes.Failure;
        }

        var uri = HealthEndpoint.LocalUri(options, ready ? HealthConstants.ReadyPath : HealthConstants.LivePath);

        // Loopback only: never through a proxy from the environment.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = timeout }) { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(uri, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            await output.WriteLineAsync(body);
            if (response.IsSuccessStatusCode)
            {
                return ExitCodes.Ok;
            }

            await error.WriteLineAsync($"usage-sentinel health: {uri} answered {(int)response.StatusCode}.");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
        {
            await error.WriteLineAsync($"usage-sentinel health: {uri}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
