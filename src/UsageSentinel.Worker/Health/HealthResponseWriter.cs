using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UsageSentinel.Worker.Health;

/// <summary>
/// The body of the health endpoints: <c>{"status":"Healthy","checks":{"name":{"status":…,"description":…}},"consumer_lag":0}</c>.
/// Only statuses, the checks' fixed descriptions and the lag: never exception messages or configuration.
/// </summary>
internal static class HealthResponseWriter
{
    /// <summary>Gets the HTTP status code of a report: 200 unless unhealthy, then 503.</summary>
    public static int StatusCode(HealthStatus status) => status == HealthStatus.Unhealthy ? 503 : 200;

    public static void Write(IBufferWriter<byte> output, HealthReport report, long consumerLag)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", Name(entry.Status));
            if (entry.Exception is not null)
            {
                // The service puts the exception's message in the description; it may name hosts or settings.
                json.WriteString("description", "The check failed; see the worker's log.");
            }
            else if (entry.Description is { } description)
            {
                json.WriteString("description", description);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteNumber("consumer_lag", consumerLag);
        json.WriteEndObject();
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "Healthy",
        HealthStatus.Degraded => "Degraded",
        _ => "Unhealthy",
    };
}
