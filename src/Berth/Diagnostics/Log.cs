namespace Berth.Diagnostics;

/// <summary>Every log line Berth writes, as source-generated partials with constant messages.</summary>
public static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "ECR operation {Operation} failed unexpectedly")]
    public static partial void OperationFailed(this ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Berth listening on {Listen} (auth {Auth}, data dir {DataDir}, public URL {PublicUrl})")]
    public static partial void Listening(this ILogger logger, string listen, string auth, string dataDir, string publicUrl);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Created the first access key {AccessKeyId} for account {AccountId}")]
    public static partial void FirstKeyCreated(this ILogger logger, string accessKeyId, string accountId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Purged {Count} abandoned uploads")]
    public static partial void UploadsPurged(this ILogger logger, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Upload purge failed; will retry")]
    public static partial void UploadPurgeFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Garbage collection removed {Files} blobs ({Bytes} bytes)")]
    public static partial void GarbageCollected(this ILogger logger, int files, long bytes);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Garbage collection failed; will retry")]
    public static partial void GarbageCollectionFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Garbage collection skipped: another collection is running on this data")]
    public static partial void GarbageCollectionSkipped(this ILogger logger);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Lifecycle rule {Priority} expired {Digest} in {Repository}: {Reason}")]
    public static partial void LifecycleExpired(this ILogger logger, string repository, string digest, int priority, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Lifecycle rule {Priority} archived {Digest} in {Repository}: {Reason}")]
    public static partial void LifecycleTransitioned(this ILogger logger, string repository, string digest, int priority, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Lifecycle preview for {Repository} failed")]
    public static partial void LifecyclePreviewFailed(this ILogger logger, string repository, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Scheduled lifecycle run failed; will retry")]
    public static partial void LifecycleRunFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "OCI {Method} on {Resource} failed unexpectedly")]
    public static partial void OciRequestFailed(this ILogger logger, string method, string resource, Exception exception);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "Audit records cannot be written to {Target}; later records are discarded until restart")]
    public static partial void AuditWriteFailed(this ILogger logger, string target, Exception exception);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Recording the pull of {Digest} in {Repository} failed; the pull is served anyway")]
    public static partial void PullRecordFailed(this ILogger logger, string repository, string digest, Exception exception);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "This node ({Holder}) now runs the {Job} job")]
    public static partial void JobLeaseTaken(this ILogger logger, string job, string holder);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "This node ({Holder}) lost the {Job} job's lease to another node")]
    public static partial void JobLeaseLost(this ILogger logger, string job, string holder);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Renewing or releasing the {Job} job's lease failed; will retry")]
    public static partial void JobLeaseRenewalFailed(this ILogger logger, string job, Exception exception);

    [LoggerMessage(EventId = 35, Level = LogLevel.Debug, Message = "Skipping the {Job} job: another node holds its lease")]
    public static partial void JobLeaseHeldElsewhere(this ILogger logger, string job);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Created repository {Repository} from the creation template {Prefix} ({Use})")]
    public static partial void RepositoryCreatedFromTemplate(this ILogger logger, string repository, string prefix, Berth.Domain.Templates.TemplateUses use);
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "TLS certificate {Path} reloaded; new connections get it")]
    public static partial void TlsCertificateReloaded(this ILogger logger, string path);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "TLS certificate {Path} changed but does not load ({Reason}); still serving the previous one")]
    public static partial void TlsCertificateReloadFailed(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 152, Level = LogLevel.Information,
        Message = "{RequestId} {Principal} {AccessKeyId} {Protocol} {Operation} {Status} {DurationMs} ms {BytesIn} in {BytesOut} out")]
    public static partial void RequestAnswered(this ILogger logger, string requestId, string principal, string accessKeyId, string protocol,
        string operation, int status, double durationMs, long bytesIn, long bytesOut);

    [LoggerMessage(EventId = 153, Level = LogLevel.Warning, Message = "Rejected {Protocol} credentials from {Source}: {ErrorType} (access key {AccessKeyId})")]
    public static partial void CredentialsRejected(this ILogger logger, string protocol, string source, string errorType, string accessKeyId);
}
