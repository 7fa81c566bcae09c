using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace UsageSentinel.Webhooks.Tests.TestSupport;

/// <summary>Captures every log line at every level, with its properties, exception and scopes, for asserting what logs contain.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private static string Describe<TState>(TState state) =>
        state is IEnumerable<KeyValuePair<string, object?>> properties
            ? $"{state} {{{string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}"))}}}"
            : state?.ToString() ?? string.Empty;

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope {Describe(state)}");
            return NullScope.Instance;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} {logLevel} {eventId.Id} {formatter(state, exception)} {Describe(state)} {exception}");
    }

    private sealed class NullScope : IDisposable
    {
        public static NullScope Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
