namespace Berth.Diagnostics;

/// <summary>Image scanning's log lines (event ids 140-149, kept apart from <see cref="Log"/>'s).</summary>
public static partial class ScanLog
{
    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "Scanned {Repository}@{Digest}: {Status}")]
    public static partial void ImageScanned(this ILogger logger, string repository, string digest, string status);

    [LoggerMessage(EventId = 161, Level = LogLevel.Error, Message = "Scanning {Repository}@{Digest} failed unexpectedly")]
    public static partial void ImageScanFailed(this ILogger logger, string repository, string digest, Exception exception);

    [LoggerMessage(EventId = 162, Level = LogLevel.Warning, Message = "Queuing the scan on push of {Repository}@{Digest} failed")]
    public static partial void ScanOnPushFailed(this ILogger logger, string repository, string digest, Exception exception);

    [LoggerMessage(EventId = 163, Level = LogLevel.Information, Message = "Vulnerability database version {Version}: queued {Images} images of continuously scanned repositories for rescan")]
    public static partial void ContinuousRescanQueued(this ILogger logger, long version, int images);

    [LoggerMessage(EventId = 164, Level = LogLevel.Error, Message = "The scanning job's run failed; it runs again at its next poll")]
    public static partial void ScanJobFailed(this ILogger logger, Exception exception);
}
