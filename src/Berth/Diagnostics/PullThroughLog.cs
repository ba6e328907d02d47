namespace Berth.Diagnostics;

/// <summary>The pull-through cache's log events (kept apart from <see cref="Log"/> so each feature owns its ids: 60–69).</summary>
public static partial class PullThroughLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Caching {Reference} of {Repository} from {Upstream}")]
    public static partial void PullThroughFetching(this ILogger logger, string repository, string reference, string upstream);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Caching {Reference} of {Repository} failed: {Reason}")]
    public static partial void PullThroughFailed(this ILogger logger, string repository, string reference, string reason);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "The upstream of {Repository} cannot be checked for {Tag}; serving the cached image: {Reason}")]
    public static partial void PullThroughServingStale(this ILogger logger, string repository, string tag, string reason);

    [LoggerMessage(EventId = 63, Level = LogLevel.Error, Message = "Caching {Reference} of {Repository} failed unexpectedly")]
    public static partial void PullThroughCrashed(this ILogger logger, string repository, string reference, Exception exception);

    [LoggerMessage(EventId = 64, Level = LogLevel.Error, Message = "The pull-through event of {Repository} could not be queued")]
    public static partial void PullThroughEventFailed(this ILogger logger, string repository, Exception exception);
}
