using Berth.Domain.Images;

namespace Berth.Domain;

/// <summary>
/// Blobs as repositories see them, manifests (images) and image tags. A repository can read a blob only once
/// it is linked to it (pushed, mounted or uploaded there).
/// </summary>
public interface IImageStore
{
    /// <summary>Records a verified blob and links it to the repository; false when the repository does not exist.</summary>
    Task<bool> LinkBlobAsync(RepositoryKey repository, BlobRecord blob, CancellationToken cancellationToken);

    /// <summary>The blob when it is linked to the repository, else null.</summary>
    Task<BlobRecord?> FindBlobAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Links a blob that <paramref name="from"/> has into <paramref name="to"/>; null when either lacks it.</summary>
    Task<BlobRecord?> MountBlobAsync(RepositoryKey from, RepositoryKey to, Digest digest, CancellationToken cancellationToken);

    /// <summary>Removes the blob's link to the repository; the bytes are left to garbage collection.</summary>
    Task<bool> UnlinkBlobAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a manifest with what it references and, when <paramref name="tag"/> is set, points the tag at it,
    /// checking in the same transaction that every referenced blob and child manifest is in the repository and
    /// that an existing tag may move under the repository's mutability settings.
    /// </summary>
    Task<PutImageOutcome> PutImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        CancellationToken cancellationToken);

    /// <summary>The image with its bytes and tags, or null.</summary>
    Task<ImageRecord?> GetImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// The manifest a tag or digest names, with its bytes but without its tags, in one read: the pull path.
    /// </summary>
    Task<ImageRecord?> GetManifestAsync(RepositoryKey repository, string? tag, Digest? digest, CancellationToken cancellationToken);

    /// <summary>The digest a tag points at, or null.</summary>
    Task<Digest?> ResolveTagAsync(RepositoryKey repository, string tag, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> (at least 1) tags of the repository in ordinal order, strictly after <paramref name="afterTag"/>; null when the repository does not exist.</summary>
    Task<Page<string>?> ListTagsAsync(RepositoryKey repository, string? afterTag, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes an image and all its tags, unless an index in the repository references it.</summary>
    Task<DeleteImageStatus> DeleteImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Removes one tag. With <paramref name="deleteUntaggedImage"/> (ECR's BatchDeleteImage by tag) the image
    /// goes too when that was its last tag and nothing references it.
    /// </summary>
    Task<DeleteImageStatus> DeleteTagAsync(RepositoryKey repository, string tag, bool deleteUntaggedImage, CancellationToken cancellationToken);

    /// <summary>Images whose subject is <paramref name="subject"/>, without manifest bytes, ordered by digest.</summary>
    Task<IReadOnlyList<ImageRecord>> ListReferrersAsync(RepositoryKey repository, Digest subject, CancellationToken cancellationToken);

    /// <summary>Notes a pull for lastRecordedPullTime.</summary>
    Task RecordPullAsync(RepositoryKey repository, Digest digest, DateTimeOffset pulledAt, CancellationToken cancellationToken);

    /// <summary>
    /// Images of the repository ordered by digest, strictly after <paramref name="afterDigest"/>, with tags but
    /// without manifest bytes; null when the repository does not exist. One indexed range scan per page.
    /// </summary>
    Task<Page<ImageRecord>?> DescribeImagesAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? afterDigest,
        int limit,
        CancellationToken cancellationToken);

    /// <summary>
    /// ListImages entries: tags (ordered by tag) and then untagged digests (ordered by digest). The page key
    /// is "t:&lt;tag&gt;" or "u:&lt;digest&gt;"; null when the repository does not exist.
    /// </summary>
    Task<Page<ImageListEntry>?> ListImageIdsAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? afterKey,
        int limit,
        CancellationToken cancellationToken);

    /// <summary>Whether any image of the repository references the blob as config or layer.</summary>
    Task<bool> IsBlobReferencedAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>How many images the repository holds (0 when it does not exist).</summary>
    Task<long> CountImagesAsync(RepositoryKey repository, CancellationToken cancellationToken);
}
