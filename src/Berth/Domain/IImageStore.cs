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
    /// Stores a manifest with what it references and, when <paramref name="tag"/> is set, points the tag at it.
    /// The rules are <see cref="PutImagePlanner"/>'s; an implementation only reads and executes, all in ONE
    /// transaction that concurrent puts of the same repository serialise on:
    /// </summary>
    /// <remarks>
    /// <list type="number">
    /// <item>Read a <see cref="PutImageState"/>: whether the repository exists, its tag mutability and exclusion
    /// filters; which <paramref name="references"/> it lacks (a blob reference is present when the blob is linked to
    /// the repository, a manifest reference when the repository stores that image); the storage class of the image
    /// when the repository already stores this digest; and the digest <paramref name="tag"/> points at now.</item>
    /// <item>Call <see cref="PutImagePlanner.Plan"/> and execute the <see cref="PutImagePlan"/> before committing:
    /// <see cref="PutImagePlan.InsertImage"/> stores <paramref name="image"/> (STANDARD, no tags) with
    /// <paramref name="manifest"/> byte for byte and one reference row per entry of <paramref name="references"/>;
    /// <see cref="PutImagePlan.RestoreFromArchive"/> makes the stored image STANDARD again with
    /// <see cref="ImageRecord.LastActivatedAt"/> = <see cref="ImageRecord.PushedAt"/> of <paramref name="image"/>;
    /// <see cref="PutImagePlan.PointTag"/> upserts the tag onto this digest, adds one to this image's tag count and,
    /// when <see cref="PutImagePlan.TagLeaves"/> is set, takes one from that image's (tagged/untagged listings rely
    /// on these counts).</item>
    /// <item>Answer <see cref="PutImagePlan.Outcome"/>. A refused put (RepositoryNotFound, MissingBlobs,
    /// MissingManifests, ImmutableTag) writes nothing.</item>
    /// </list>
    /// </remarks>
    Task<PutImageOutcome> PutImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        CancellationToken cancellationToken);

    /// <summary>
    /// The put above, which also adds <paramref name="outbox"/> to the outbox in its transaction when the put
    /// succeeds (any outcome but a refusal), so the work a push causes is recorded exactly when the push is.
    /// </summary>
    Task<PutImageOutcome> PutImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        IReadOnlyList<Outbox.OutboxMessage> outbox,
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

    /// <summary>
    /// The deletes above, which also add <paramref name="outbox"/> to the outbox in their transaction when they
    /// remove something (<see cref="DeleteImageStatus.Deleted"/> or <see cref="DeleteImageStatus.TagRemoved"/>).
    /// </summary>
    Task<DeleteImageStatus> DeleteImageAsync(RepositoryKey repository, Digest digest, IReadOnlyList<Outbox.OutboxMessage> outbox, CancellationToken cancellationToken);

    /// <summary>
    /// The tag delete above, which also adds the messages <paramref name="outboxFor"/> names for the digest the tag
    /// pointed at, read in the delete's own transaction, when it removes something.
    /// </summary>
    Task<DeleteImageStatus> DeleteTagAsync(
        RepositoryKey repository, string tag, bool deleteUntaggedImage, Func<Digest, IReadOnlyList<Outbox.OutboxMessage>> outboxFor, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes several images in one transaction, in the order given (each as <see cref="DeleteImageAsync(RepositoryKey, Digest, CancellationToken)"/>
    /// would), then adds the messages <paramref name="outboxFor"/> names for the ones it deleted (it is not asked when
    /// none was). One status per digest, in order.
    /// </summary>
    Task<IReadOnlyList<DeleteImageStatus>> DeleteImagesAsync(
        RepositoryKey repository, IReadOnlyList<Digest> digests, Func<IReadOnlyList<Digest>, IReadOnlyList<Outbox.OutboxMessage>> outboxFor, CancellationToken cancellationToken);

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
