using Microsoft.Extensions.Logging;

namespace UsageSentinel.Influx.Tests.Support;

/// <summary>A logger provider that keeps every entry (level, event id, message, exception) for assertions.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly List<CapturedEntry> _entries = [];

    public IReadOnlyList<CapturedEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Gets everything logged as one text: messages and exceptions.</summary>
    public string AllText => string.Join('\n', Entries.Select(e => e.Message + " " + e.Exception));

    public int Count(int eventId) => Entries.Count(e => e.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(CapturedEntry entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new CapturedEntry(logLevel, eventId.Id, formatter(state, exception), exception?.ToString()));
    }
}

public sealed record CapturedEntry(LogLevel Level, int EventId, string Message, string? Exception);
