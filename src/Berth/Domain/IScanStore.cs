using Berth.Domain.Scanning;

namespace Berth.Domain;

/// <summary>
/// Image scanning's state: each registry's scanning configuration and each image's latest scan (its status, and its
/// findings once done). A scan row goes with its image. Each method is one transaction.
/// </summary>
public interface IScanStore
{
    /// <summary>The registry's stored configuration, or null when it never set one.</summary>
    Task<RegistryScanningConfiguration?> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken);

    /// <summary>Replaces the registry's configuration.</summary>
    Task PutConfigurationAsync(RegistryScope registry, RegistryScanningConfiguration configuration, CancellationToken cancellationToken);

    /// <summary>Every registry that stored a configuration, ordered by account then region.</summary>
    Task<IReadOnlyList<(RegistryScope Registry, RegistryScanningConfiguration Configuration)>> ListConfigurationsAsync(CancellationToken cancellationToken);

    /// <summary>The image's latest scan, with its findings document when <paramref name="withFindings"/>; null when never scanned.</summary>
    Task<ImageScan?> GetAsync(RepositoryKey repository, Digest digest, bool withFindings, CancellationToken cancellationToken);

    /// <summary>The latest scans (without findings) of those of <paramref name="digests"/> that have one.</summary>
    Task<IReadOnlyDictionary<Digest, ImageScan>> GetManyAsync(RepositoryKey repository, IReadOnlyList<Digest> digests, CancellationToken cancellationToken);

    /// <summary>
    /// Queues a scan of the image with <paramref name="status"/>, unless its last one was asked for less than
    /// <paramref name="quotaWindow"/> before <paramref name="now"/>. The previous findings are dropped.
    /// </summary>
    Task<ScanRequestOutcome> RequestAsync(RepositoryKey repository, Digest digest, string status, DateTimeOffset now, TimeSpan quotaWindow, CancellationToken cancellationToken);

    /// <summary>
    /// Queues a rescan of every image in the repository with <paramref name="status"/>, keeping the findings until the
    /// rescan replaces them (no quota: it is the registry's own rescan); the number of images queued.
    /// </summary>
    Task<int> QueueRepositoryAsync(RepositoryKey repository, string status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> queued scans (IN_PROGRESS or PENDING), oldest request first.</summary>
    Task<IReadOnlyList<QueuedScan>> ListQueuedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a scan's result, only while the scan is still the one asked for at <paramref name="requestedAt"/> (a
    /// newer request wins); false otherwise or when the image is gone. <paramref name="outbox"/> (the scan's event) is
    /// written in the same transaction, only when the result was recorded.
    /// </summary>
    Task<bool> CompleteAsync(
        RepositoryKey repository, Digest digest, DateTimeOffset requestedAt, ScanResult result, IReadOnlyList<Outbox.OutboxMessage> outbox, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IScanStore.RequestAsync"/> did.</summary>
public enum ScanRequestOutcome
{
    Queued,
    QuotaExceeded,
    ImageNotFound,
}
