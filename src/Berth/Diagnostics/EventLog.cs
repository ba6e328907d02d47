namespace Berth.Diagnostics;

/// <summary>Webhook delivery log lines (event ids 310–319). The webhook is named by index and URL, never by secret.</summary>
public static partial class EventLog
{
    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "Event {EventId} ({Type}) delivered to webhook {Webhook} ({Url})")]
    public static partial void EventDelivered(this ILogger logger, string eventId, string type, int webhook, string url);

    [LoggerMessage(EventId = 311, Level = LogLevel.Error, Message = "Event {EventId} ({Type}) to webhook {Webhook} ({Url}) abandoned: {Error}")]
    public static partial void EventAbandoned(this ILogger logger, string eventId, string type, int webhook, string url, string error);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Event {EventId} names webhook {Webhook}, which is no longer configured; dropped")]
    public static partial void EventWebhookGone(this ILogger logger, string eventId, int webhook);
}
