namespace Berth.Diagnostics;

/// <summary>What a starting server finds left over from before it started.</summary>
public static partial class StartupLog
{
    [LoggerMessage(EventId = 41, Level = LogLevel.Information,
        Message = "{Count} partial uploads from before this start (an interrupted push leaves one); each is purged once idle for {MaxAge} (--upload-max-age), the oldest after {PurgeAt:u}")]
    public static partial void PartialUploadsFound(this ILogger logger, string count, TimeSpan maxAge, DateTimeOffset purgeAt);
}
