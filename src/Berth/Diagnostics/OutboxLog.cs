namespace Berth.Diagnostics;

/// <summary>The outbox worker's log lines (event ids 300–309).</summary>
public static partial class OutboxLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "An outbox run failed; the worker tries again")]
    public static partial void OutboxRunFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Outbox {Kind} message {Id} failed (attempt {Attempts}), retrying later: {Error}")]
    public static partial void OutboxMessageRetried(this ILogger logger, string kind, long id, int attempts, string error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Outbox {Kind} message {Id} abandoned after {Attempts} attempts: {Error}")]
    public static partial void OutboxMessageAbandoned(this ILogger logger, string kind, long id, int attempts, string error);
}
