using Berth.Diagnostics;
using Berth.Domain.Events;
using Berth.Domain.Images;
using Berth.Domain.Outbox;

namespace Berth.Domain.Scanning;

/// <summary>
/// Image scanning's rules: registry configuration, which repositories scan on push or continuously, the
/// one-scan-per-image-per-24-hours quota, and running queued scans (the scanning job calls <see cref="RunQueuedAsync"/>).
/// </summary>
/// <param name="store">Where configurations, scans and the vulnerability database live.</param>
/// <param name="images">
/// The image service, looked up when first needed: it depends on <see cref="ManifestService"/>, which depends on this.
/// </param>
/// <param name="scanner">Scans one image.</param>
/// <param name="queue">Wakes the scanning job.</param>
/// <param name="time">The clock of requests, the quota and results.</param>
/// <param name="logger">Where scans and their failures are told.</param>
/// <param name="events">Writes each finished scan's "ECR Image Scan" event with its result; none when null.</param>
/// <param name="outboxSignal">Wakes this process's outbox worker after a result that wrote an event.</param>
public sealed class ScanService(
    IMetadataStore store,
    Func<ImageService> images,
    ImageScanner scanner,
    ScanQueue queue,
    TimeProvider time,
    ILogger<ScanService> logger,
    EventPublisher? events = null,
    OutboxSignal? outboxSignal = null)
{
    /// <summary>ECR's quota: one scan per image per 24 hours, the scan on push included.</summary>
    public static readonly TimeSpan QuotaWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// How long after its last push or pull an image stays eligible for continuous rescans (Amazon Inspector's default
    /// ECR re-scan duration); older images end SCAN_ELIGIBILITY_EXPIRED instead of being rescanned.
    /// </summary>
    public static readonly TimeSpan RescanEligibility = TimeSpan.FromDays(90);

    private const int BatchSize = 10;

    public async Task<RegistryScanningConfiguration> GetConfigurationAsync(RegistryScope registry, CancellationToken cancellationToken) =>
        await store.Scans.GetConfigurationAsync(registry, cancellationToken) ?? RegistryScanningConfiguration.Default;

    /// <summary>Stores the configuration after ECR's checks the model cannot make.</summary>
    public async Task<Result<RegistryScanningConfiguration>> PutConfigurationAsync(RegistryScope registry, RegistryScanningConfiguration configuration, CancellationToken cancellationToken)
    {
        foreach (var rule in configuration.Rules)
        {
            if (rule.ScanFrequency == ScanFrequency.Manual)
            {
                return DomainError.InvalidParameter("rules.scanFrequency", "MANUAL is not a rule frequency: a repository that no rule matches is scanned manually");
            }

            if (configuration.ScanType == RegistryScanningConfiguration.Basic && rule.ScanFrequency != ScanFrequency.OnPush)
            {
                return DomainError.InvalidParameter("rules.scanFrequency", "The BASIC scan type supports only the SCAN_ON_PUSH frequency");
            }

            if (rule.Filters.Count == 0)
            {
                return DomainError.InvalidParameter("rules.repositoryFilters", "A rule needs at least one repository filter");
            }
        }

        await store.Scans.PutConfigurationAsync(registry, configuration, cancellationToken);
        return configuration;
    }

    /// <summary>Each named repository's effective scanning; names of repositories that do not exist come back apart.</summary>
    public async Task<(List<(Repository Repository, ScanningRules.Applied Applied)> Found, List<string> Missing)> BatchGetAsync(
        RegistryScope registry, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var configuration = await GetConfigurationAsync(registry, cancellationToken);
        var found = new List<(Repository, ScanningRules.Applied)>();
        var missing = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (await store.Repositories.GetAsync(registry.Repository(name), cancellationToken) is { } repository)
            {
                found.Add((repository, ScanningRules.For(configuration, repository)));
            }
            else
            {
                missing.Add(name);
            }
        }

        return (found, missing);
    }

    /// <summary>StartImageScan: queues a scan of the image, within the quota.</summary>
    public async Task<Result<ImageRecord>> StartAsync(RepositoryKey repository, ImageId id, CancellationToken cancellationToken)
    {
        var described = await images().DescribeOneAsync(repository, id, cancellationToken);
        if (!described.IsSuccess)
        {
            return described.Error!;
        }

        var image = described.Value;
        if (image.StorageClass == ImageStorageClass.Archive)
        {
            return new DomainError(ErrorCode.ImageArchived, $"The image with digest '{image.Digest}' is archived and cannot be scanned. Restore it with UpdateImageStorageClass first.");
        }

        var manifest = await store.Images.GetManifestAsync(repository, null, image.Digest, cancellationToken);
        if (manifest?.Manifest is not { } bytes || ScannableImage.LayersOf(bytes, manifest.MediaType) is null)
        {
            return new DomainError(ErrorCode.UnsupportedImageType, ScannableImage.UnsupportedMessage);
        }

        switch (await store.Scans.RequestAsync(repository, image.Digest, ScanStatus.InProgress, time.GetUtcNow(), QuotaWindow, cancellationToken))
        {
            case ScanRequestOutcome.QuotaExceeded:
                return new DomainError(ErrorCode.LimitExceeded, "The scan quota per image has been exceeded. Wait and try again.");
            case ScanRequestOutcome.ImageNotFound:
                return DomainError.ImageNotFound(repository, id.Digest, id.Tag);
        }

        queue.Wake();
        return image;
    }

    /// <summary>DescribeImageScanFindings: the image and its latest scan with findings.</summary>
    public async Task<Result<(ImageRecord Image, ImageScan Scan)>> FindingsAsync(RepositoryKey repository, ImageId id, CancellationToken cancellationToken)
    {
        var described = await images().DescribeOneAsync(repository, id, cancellationToken);
        if (!described.IsSuccess)
        {
            return described.Error!;
        }

        var image = described.Value;
        return await store.Scans.GetAsync(repository, image.Digest, withFindings: true, cancellationToken) is { } scan
            ? (image, scan)
            : new DomainError(
                ErrorCode.ScanNotFound,
                $"Image scan does not exist for the image with '{{imageDigest:'{image.Digest}', imageTag:'{id.Tag ?? "null"}'}}' in the repository with name '{repository.Name}' in the registry with id '{repository.AccountId}'");
    }

    /// <summary>The latest scans (without findings) of a page of images, for DescribeImages.</summary>
    public Task<IReadOnlyDictionary<Digest, ImageScan>> SummariesAsync(RepositoryKey repository, IReadOnlyList<Digest> digests, CancellationToken cancellationToken) =>
        store.Scans.GetManyAsync(repository, digests, cancellationToken);

    /// <summary>
    /// After a push that stored a new image: queues its scan when the repository scans on push (or continuously).
    /// Never fails the push; a failure to queue is logged.
    /// </summary>
    public async Task OnPushedAsync(RepositoryKey repository, Digest digest, ReadOnlyMemory<byte> manifest, string mediaType, CancellationToken cancellationToken)
    {
        try
        {
            if (ScannableImage.LayersOf(manifest, mediaType) is null
                || await store.Repositories.GetAsync(repository, cancellationToken) is not { } found)
            {
                return;
            }

            var configuration = await GetConfigurationAsync(new RegistryScope(repository.AccountId, repository.Region), cancellationToken);
            if (ScanningRules.For(configuration, found).ScanOnPush
                && await store.Scans.RequestAsync(repository, digest, ScanStatus.InProgress, time.GetUtcNow(), QuotaWindow, cancellationToken) == ScanRequestOutcome.Queued)
            {
                queue.Wake();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.ScanOnPushFailed(repository.Name, digest.ToString(), e);
        }
    }

    /// <summary>Scans up to a batch of queued images; the number scanned.</summary>
    public async Task<int> RunQueuedAsync(CancellationToken cancellationToken)
    {
        var queued = await store.Scans.ListQueuedAsync(BatchSize, cancellationToken);
        foreach (var scan in queued)
        {
            var result = await ScanOneAsync(scan, cancellationToken);
            var outbox = await EventsForAsync(scan, result, cancellationToken);
            if (await store.Scans.CompleteAsync(scan.Repository, scan.Digest, scan.RequestedAt, result, outbox, cancellationToken) && outbox.Count > 0)
            {
                outboxSignal?.Notify();
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.ImageScanned(scan.Repository.Name, scan.Digest.ToString(), result.Status);
            }
        }

        return queued.Count;
    }

    /// <summary>
    /// After a newer vulnerability database is imported: queues a rescan (PENDING) of every image in every repository
    /// that a CONTINUOUS_SCAN rule covers, once per database version.
    /// </summary>
    public async Task<int> RescanAfterImportAsync(CancellationToken cancellationToken)
    {
        if (await store.Vulnerabilities.CurrentAsync(cancellationToken) is not { Rescanned: false } database)
        {
            return 0;
        }

        var queuedImages = 0;
        foreach (var (registry, configuration) in await store.Scans.ListConfigurationsAsync(cancellationToken))
        {
            if (!configuration.Rules.Any(static r => r.ScanFrequency == ScanFrequency.Continuous))
            {
                continue;
            }

            string? after = null;
            do
            {
                var page = await store.Repositories.ListAsync(registry, after, 100, cancellationToken);
                foreach (var repository in page.Items)
                {
                    if (ScanningRules.For(configuration, repository).ScanFrequency == ScanFrequency.Continuous)
                    {
                        queuedImages += await store.Scans.QueueRepositoryAsync(repository.Key, ScanStatus.Pending, time.GetUtcNow(), cancellationToken);
                    }
                }

                after = page.NextKey;
            }
            while (after is not null);
        }

        await store.Vulnerabilities.MarkRescannedAsync(database.Version, cancellationToken);
        logger.ContinuousRescanQueued(database.Version, queuedImages);
        return queuedImages;
    }

    /// <summary>
    /// The scan's "ECR Image Scan" event, naming the image's tags as they are now (read just before the result's
    /// transaction: a tag moved in between is named as it was).
    /// </summary>
    private async Task<IReadOnlyList<OutboxMessage>> EventsForAsync(QueuedScan scan, ScanResult result, CancellationToken cancellationToken)
    {
        if (events is not { Enabled: true })
        {
            return [];
        }

        var described = await images().DescribeOneAsync(scan.Repository, new ImageId(scan.Digest.ToString(), null), cancellationToken);
        IReadOnlyList<string> tags = described.IsSuccess ? described.Value.Tags : [];
        return events.ForScan(scan.Repository, scan.Digest, tags, result.Status, result.SeverityCounts);
    }

    private async Task<ScanResult> ScanOneAsync(QueuedScan scan, CancellationToken cancellationToken)
    {
        if (scan.Status == ScanStatus.Pending
            && await store.Images.GetImageAsync(scan.Repository, scan.Digest, cancellationToken) is { } image
            && Later(image.PushedAt, image.LastPulledAt) < time.GetUtcNow() - RescanEligibility)
        {
            return new ScanResult(
                ScanStatus.EligibilityExpired,
                $"The image was neither pushed nor pulled in the last {RescanEligibility.TotalDays} days, so it is no longer rescanned continuously.",
                time.GetUtcNow(), null, null, null);
        }

        ScanResult result;
        try
        {
            result = await scanner.ScanAsync(scan.Repository, scan.Digest, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.ImageScanFailed(scan.Repository.Name, scan.Digest.ToString(), e);
            return new ScanResult(ScanStatus.Failed, $"The scan failed: {e.Message}", time.GetUtcNow(), null, null, null);
        }

        if (result.Status == ScanStatus.Complete)
        {
            // Under ENHANCED, a repository scanned continuously stays ACTIVE: its findings are kept current on each import.
            var configuration = await GetConfigurationAsync(new RegistryScope(scan.Repository.AccountId, scan.Repository.Region), cancellationToken);
            if (configuration.ScanType == RegistryScanningConfiguration.Enhanced
                && await store.Repositories.GetAsync(scan.Repository, cancellationToken) is { } repository
                && ScanningRules.For(configuration, repository).ScanFrequency == ScanFrequency.Continuous)
            {
                result = result with { Status = ScanStatus.Active, Description = "Continuous scanning is active: the image is rescanned when a newer vulnerability database is imported." };
            }
        }

        return result;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } value && value > a ? value : a;
}
