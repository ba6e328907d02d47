using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Berth.Tests.Support;

/// <summary>A logger provider that keeps the name of every event logged through it, for tests that count events.</summary>
public sealed class RecordingLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _events = new();

    /// <summary>The event names (the LoggerMessage method names), in the order they were logged.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    public ILogger CreateLogger(string categoryName) => new Logger(_events);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue(eventId.Name ?? string.Empty);
    }
}
