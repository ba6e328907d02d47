using Berth.Diagnostics;
using Berth.Domain.Auth;

namespace Berth.Domain.Images;

/// <summary>
/// The ECR image operations that are not pushes: lookups by ImageIdentifier, batch get and delete,
/// listings. Per-item problems are reported as failures, as ECR's batch calls do.
/// </summary>
public sealed class ImageService(
    IMetadataStore store,
    ManifestService manifests,
    PullExclusionService exclusions,
    TimeProvider time,
    ILogger<ImageService> logger)
{
    // Pull times are refreshed at most this often, so reads stay reads (ECR itself is coarser: 24 h).
    private static readonly TimeSpan PullRecordInterval = TimeSpan.FromMinutes(10);

    /// <summary>Finds one image by tag and/or digest (with its tags only when asked); a failure says why not.</summary>
    public async Task<(ResolvedImage? Image, ImageFailure? Failure)> ResolveAsync(
        RepositoryKey repository,
        ImageId id,
        CancellationToken cancellationToken,
        bool withTags = true)
    {
        if (id.Digest is null && id.Tag is null)
        {
            return (null, new ImageFailure(id, ImageFailureKind.MissingDigestAndTag, "Invalid request parameters: both tag and digest cannot be null"));
        }

        Digest? digest = null;
        if (id.Digest is not null)
        {
            if (!Domain.Digest.TryParse(id.Digest, out var parsed))
            {
                return (null, new ImageFailure(id, ImageFailureKind.InvalidImageDigest, "Invalid image digest"));
            }

            digest = parsed;
        }

        if (!withTags && (id.Tag is null || digest is null))
        {
            // The pull path: one read of the manifest the tag or digest names.
            var manifest = await store.Images.GetManifestAsync(repository, id.Tag, digest, cancellationToken);
            return manifest is null
                ? (null, new ImageFailure(id, ImageFailureKind.ImageNotFound, "Requested image not found"))
                : (new ResolvedImage(id, manifest, id.Tag), null);
        }

        if (id.Tag is not null)
        {
            var tagged = await store.Images.ResolveTagAsync(repository, id.Tag, cancellationToken);
            if (tagged is null)
            {
                return (null, new ImageFailure(id, ImageFailureKind.ImageNotFound, "Requested image not found"));
            }

            if (digest is not null && digest != tagged)
            {
                return (null, new ImageFailure(id, ImageFailureKind.ImageTagDoesNotMatchDigest, "The tag does not point at the given digest"));
            }

            digest = tagged;
        }

        var image = await store.Images.GetImageAsync(repository, digest!.Value, cancellationToken);
        return image is null
            ? (null, new ImageFailure(id, ImageFailureKind.ImageNotFound, "Requested image not found"))
            : (new ResolvedImage(id, image, id.Tag), null);
    }

    /// <summary>An archived image cannot be pulled until UpdateImageStorageClass restores it.</summary>
    public static bool IsPullable(ImageRecord image) => image.StorageClass != ImageStorageClass.Archive;

    /// <summary>
    /// The /v2/ pull (GET or HEAD of a manifest): the manifest with its bytes, unless it is missing or archived. The caller
    /// records the pull once it sends the bytes.
    /// </summary>
    public async Task<Result<ImageRecord>> PullAsync(RepositoryKey repository, ManifestReference reference, CancellationToken cancellationToken)
    {
        var found = await manifests.GetAsync(repository, reference, cancellationToken);
        if (!found.IsSuccess || IsPullable(found.Value))
        {
            return found;
        }

        return new DomainError(ErrorCode.ImageNotFound, $"manifest {found.Value.Digest} is archived; restore it before pulling");
    }

    /// <summary>
    /// BatchGetImage: hands each manifest asked for to <paramref name="onImage"/> as soon as it is resolved and its
    /// pull recorded, and returns the failures; unaccepted media types are failures.
    /// </summary>
    /// <remarks>
    /// Images are handed over one at a time rather than collected, so the caller can send each before the next is
    /// read: 100 ids over 4 MiB manifests would otherwise hold 400 MiB (and more as JSON) for one small request.
    /// </remarks>
    public async Task<Result<List<ImageFailure>>> BatchGetAsync(
        RepositoryKey repository,
        IReadOnlyList<ImageId> ids,
        IReadOnlyList<string>? acceptedMediaTypes,
        Principal puller,
        Func<ResolvedImage, ValueTask> onImage,
        CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        var failures = new List<ImageFailure>();
        var seen = new HashSet<ImageId>();
        foreach (var id in ids)
        {
            // A repeated id is answered once: each copy of a 4 MiB manifest would otherwise be sent again.
            if (!seen.Add(id))
            {
                continue;
            }

            var (image, failure) = await ResolveAsync(repository, id, cancellationToken, withTags: false);
            if (failure is not null)
            {
                failures.Add(failure);
                continue;
            }

            var record = image!.Image;
            if (!IsPullable(record))
            {
                failures.Add(new ImageFailure(id, ImageFailureKind.ImageInaccessible, "The image is archived; restore it with UpdateImageStorageClass before pulling"));
                continue;
            }

            // Berth stores manifests byte for byte and never converts them between formats.
            if (acceptedMediaTypes is { Count: > 0 } && !Contains(acceptedMediaTypes, record.MediaType))
            {
                failures.Add(new ImageFailure(id, ImageFailureKind.ImageNotFound, $"The image's media type {record.MediaType} is not among acceptedMediaTypes"));
                continue;
            }

            await RecordPullAsync(repository, record, puller, cancellationToken);
            await onImage(image);
        }

        return failures;
    }

    /// <summary>BatchDeleteImage: by digest the image and all its tags go; by tag only that tag, and the image with its last tag.</summary>
    public async Task<Result<(List<ImageId> Deleted, List<ImageFailure> Failures)>> BatchDeleteAsync(
        RepositoryKey repository,
        IReadOnlyList<ImageId> ids,
        CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        var deleted = new List<ImageId>(ids.Count);
        var failures = new List<ImageFailure>();
        foreach (var id in ids)
        {
            var (image, failure) = await ResolveAsync(repository, id, cancellationToken, withTags: false);
            if (failure is not null)
            {
                failures.Add(failure);
                continue;
            }

            var status = id.Tag is not null
                ? await manifests.DeleteTagAsync(repository, id.Tag, deleteUntaggedImage: true, cancellationToken)
                : await manifests.DeleteImageAsync(repository, image!.Image.Digest, cancellationToken);
            switch (status)
            {
                case DeleteImageStatus.Deleted or DeleteImageStatus.TagRemoved:
                    deleted.Add(new ImageId(image!.Image.Digest.ToString(), id.Tag));
                    break;
                case DeleteImageStatus.ReferencedByIndex:
                    failures.Add(new ImageFailure(id, ImageFailureKind.ImageReferencedByManifestList, "Requested image is referenced by an image index or manifest list"));
                    break;
                default:
                    failures.Add(new ImageFailure(id, ImageFailureKind.ImageNotFound, "Requested image not found"));
                    break;
            }
        }

        return (deleted, failures);
    }

    /// <summary>DescribeImages with explicit ids: every id must resolve, else the whole call fails.</summary>
    public async Task<Result<List<ImageRecord>>> DescribeAsync(RepositoryKey repository, IReadOnlyList<ImageId> ids, CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        var images = new List<ImageRecord>(ids.Count);
        var seen = new HashSet<Digest>();
        foreach (var id in ids)
        {
            var (image, failure) = await ResolveAsync(repository, id, cancellationToken);
            if (failure is not null)
            {
                return failure.Kind == ImageFailureKind.InvalidImageDigest
                    ? DomainError.InvalidParameter("imageIds.imageDigest", "Invalid image digest")
                    : DomainError.ImageNotFound(repository, id.Digest, id.Tag);
            }

            if (seen.Add(image!.Image.Digest))
            {
                images.Add(image.Image with { Manifest = null });
            }
        }

        return images;
    }

    /// <summary>One image by tag and/or digest, without manifest bytes (DescribeImages' rules for a single id).</summary>
    public async Task<Result<ImageRecord>> DescribeOneAsync(RepositoryKey repository, ImageId id, CancellationToken cancellationToken)
    {
        var found = await DescribeAsync(repository, [id], cancellationToken);
        return found.IsSuccess ? found.Value[0] : found.Error!;
    }

    public async Task<Result<Page<ImageRecord>>> DescribePageAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? after,
        int limit,
        CancellationToken cancellationToken) =>
        await store.Images.DescribeImagesAsync(repository, tagStatus, imageStatus, after, limit, cancellationToken) is { } page
            ? page
            : DomainError.RepositoryNotFound(repository);

    public async Task<Result<Page<ImageListEntry>>> ListPageAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? after,
        int limit,
        CancellationToken cancellationToken) =>
        await store.Images.ListImageIdsAsync(repository, tagStatus, imageStatus, after, limit, cancellationToken) is { } page
            ? page
            : DomainError.RepositoryNotFound(repository);

    /// <summary>
    /// Up to <paramref name="limit"/> tags of the repository in ordinal order, strictly after <paramref name="afterTag"/>;
    /// a limit of 0 answers an empty page once the repository is known to exist.
    /// </summary>
    public async Task<Result<Page<string>>> ListTagsAsync(RepositoryKey repository, string? afterTag, int limit, CancellationToken cancellationToken)
    {
        var page = limit == 0
            ? await store.Repositories.GetAsync(repository, cancellationToken) is null ? null : new Page<string>([], null)
            : await store.Images.ListTagsAsync(repository, afterTag, limit, cancellationToken);
        return page is null ? DomainError.RepositoryNotFound(repository) : page;
    }

    /// <summary>
    /// Notes a pull by <paramref name="puller"/> unless one was noted recently or the registry excludes the puller from
    /// pull-time updates. Best effort: the pull time is a write, and a full disk or a busy database must not turn a read
    /// into a failure.
    /// </summary>
    public async Task RecordPullAsync(RepositoryKey repository, ImageRecord image, Principal puller, CancellationToken cancellationToken)
    {
        if (image.LastPulledAt is { } pulled && time.GetUtcNow() - pulled <= PullRecordInterval)
        {
            return;
        }

        try
        {
            // Looked up only when a pull would be recorded, so most pulls do not pay for it.
            if (await exclusions.IsExcludedAsync(repository.Scope, puller.Arn, cancellationToken))
            {
                return;
            }

            await manifests.RecordPullAsync(repository, image.Digest, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.PullRecordFailed(repository.Name, image.Digest.ToString(), ex);
        }
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (var candidate in values)
        {
            if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
