namespace Berth.Diagnostics;

/// <summary>The managed-signing log events (their own id range, 140-149).</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Signed {Digest} in {Repository} with {Profile}: signature {Signature}")]
    public static partial void ImageSigned(this ILogger logger, Domain.Digest digest, string repository, string profile, Domain.Digest signature);

    [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "Signing {Digest} in {Repository} with {Profile} failed: {FailureCode}")]
    public static partial void ImageSigningFailed(this ILogger logger, Domain.Digest digest, string repository, string profile, string failureCode);

    [LoggerMessage(EventId = 142, Level = LogLevel.Error, Message = "Signing {Digest} in {Repository} with {Profile} failed unexpectedly")]
    public static partial void ImageSigningError(this ILogger logger, Domain.Digest digest, string repository, string profile, Exception exception);

    [LoggerMessage(EventId = 143, Level = LogLevel.Error, Message = "Queuing {Digest} in {Repository} for signing failed; the push is stored unsigned")]
    public static partial void SigningQueueFailed(this ILogger logger, Domain.Digest digest, string repository, Exception exception);

    [LoggerMessage(EventId = 144, Level = LogLevel.Error, Message = "The signing job failed; will retry")]
    public static partial void SigningJobFailed(this ILogger logger, Exception exception);
}
