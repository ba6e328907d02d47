using Berth.Domain.Images;
using Berth.Domain.Policies;

namespace Berth.Domain.Blobs;

/// <summary>
/// Blobs as a repository sees them, for both protocols: finding, reading, unlinking and mounting a blob, and ECR's
/// layer checks. A repository sees a blob only once it is linked there; the bytes are shared and content-addressed.
/// </summary>
public sealed class BlobService(IMetadataStore store, IBlobStore blobs)
{
    /// <summary>The blob linked to the repository; RepositoryNotFound or BlobNotFound when there is none.</summary>
    public async Task<Result<BlobRecord>> FindAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        await store.Images.FindBlobAsync(repository, digest, cancellationToken) is { } blob
            ? blob
            : await NotFoundAsync(repository, digest, cancellationToken);

    /// <summary>
    /// Opens <paramref name="length"/> bytes of a blob from <paramref name="offset"/> (a range already checked against
    /// the blob's size), or null when the bytes are gone although the link exists.
    /// </summary>
    public ValueTask<Stream?> OpenReadAsync(BlobRecord blob, long offset, long length, CancellationToken cancellationToken) =>
        blobs.OpenReadAsync(blob.Digest, offset, length, cancellationToken);

    /// <summary>
    /// A time-limited URL the client can read the blob's bytes from directly, where the blob backend has one (a presigned
    /// object-store URL); null when it has none (the filesystem), and the bytes are then served through Berth.
    /// </summary>
    public ValueTask<Uri?> TryGetReadUrlAsync(BlobRecord blob, TimeSpan lifetime, CancellationToken cancellationToken) =>
        blobs.TryGetReadUrlAsync(blob.Digest, lifetime, cancellationToken);

    /// <summary>Removes the blob from the repository (the bytes are left to garbage collection).</summary>
    public async Task<DomainError?> UnlinkAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        await store.Images.UnlinkBlobAsync(repository, digest, cancellationToken)
            ? null
            : await NotFoundAsync(repository, digest, cancellationToken);

    /// <summary>
    /// Links a blob <paramref name="source"/> has into <paramref name="target"/>; null when either lacks it, or when the
    /// target's registry has BLOB_MOUNTING set to DISABLED (the client then uploads the blob, as the OCI spec allows).
    /// </summary>
    public async Task<BlobRecord?> MountAsync(RepositoryKey target, RepositoryKey source, Digest digest, CancellationToken cancellationToken) =>
        await store.Policies.GetAccountSettingAsync(target.Scope, AccountSettings.BlobMounting, cancellationToken) == AccountSettings.Disabled
            ? null
            : await store.Images.MountBlobAsync(source, target, digest, cancellationToken);

    /// <summary>
    /// BatchCheckLayerAvailability: for each digest, the blob linked to the repository or null (unavailable), in the
    /// order asked; RepositoryNotFound when the repository does not exist.
    /// </summary>
    public async Task<Result<IReadOnlyList<BlobRecord?>>> FindLayersAsync(
        RepositoryKey repository,
        IReadOnlyList<Digest> digests,
        CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        var found = new BlobRecord?[digests.Count];
        for (var i = 0; i < found.Length; i++)
        {
            found[i] = await store.Images.FindBlobAsync(repository, digests[i], cancellationToken);
        }

        return Result<IReadOnlyList<BlobRecord?>>.From(found);
    }

    /// <summary>
    /// GetDownloadUrlForLayer: the layer must be in the repository and referenced by one of its images, since an
    /// unreferenced blob may be collected at any moment.
    /// </summary>
    public async Task<Result<BlobRecord>> FindDownloadableLayerAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken)
    {
        if (await store.Repositories.GetAsync(repository, cancellationToken) is null)
        {
            return DomainError.RepositoryNotFound(repository);
        }

        if (await store.Images.FindBlobAsync(repository, digest, cancellationToken) is not { } blob)
        {
            return new DomainError(
                ErrorCode.BlobNotFound,
                $"The layer with digest '{digest}' does not exist in the repository with name '{repository.Name}' in the registry with id '{repository.AccountId}'");
        }

        if (!await store.Images.IsBlobReferencedAsync(repository, digest, cancellationToken))
        {
            return new DomainError(
                ErrorCode.LayerInaccessible,
                $"The layer with digest '{digest}' is not referenced by any image in the repository with name '{repository.Name}'");
        }

        return blob;
    }

    /// <summary>A lookup missed: say whether the repository or only the blob is unknown (one more read, off the hot path).</summary>
    private async Task<DomainError> NotFoundAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        await store.Repositories.GetAsync(repository, cancellationToken) is null
            ? DomainError.RepositoryNotFound(repository)
            : new DomainError(ErrorCode.BlobNotFound, $"blob {digest} is unknown to repository {repository.Name}");
}
