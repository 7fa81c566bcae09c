using Microsoft.Extensions.Logging;

namespace UsageSentinel.Influx;

/// <summary>The metrics writer's log events. Targets are URLs without credentials; secrets are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Metrics: writing {Mode} to {Target} as worker {Worker}, batches of {BatchSize}, buffer of {BufferCapacity} points")]
    public static partial void MetricsStarting(this ILogger logger, string mode, string target, string worker, int batchSize, int bufferCapacity);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Metrics: {Target} is unreachable ({Reason}); buffering up to {BufferCapacity} points and dropping the oldest beyond, until it is back")]
    public static partial void OutageStarted(this ILogger logger, string target, string reason, int bufferCapacity);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Metrics: {Target} is back after {OutageSeconds:F1} s and {FailedBatches} failed attempts; {Dropped} points were dropped meanwhile")]
    public static partial void OutageEnded(this ILogger logger, string target, double outageSeconds, long failedBatches, long dropped);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Metrics: {Target} refused {Points} points as invalid ({Reason}); they are dropped")]
    public static partial void BatchRejected(this ILogger logger, string target, int points, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Metrics: stopped; {Written} points written, {Dropped} dropped, {Unsent} left unsent")]
    public static partial void MetricsStopped(this ILogger logger, long written, long dropped, long unsent);
}
