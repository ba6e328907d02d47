namespace Berth.Domain;

/// <summary>
/// Garbage collection's view of the blobs the metadata store records: when each was last pushed, which may go, and which
/// are being deleted. A blob's age lives here and nowhere else, so any bytes backend can be collected the same way.
/// </summary>
/// <remarks>
/// The protocol (docs/storage-layout.md): a push claims a digest before it publishes or relies on the bytes; a collector
/// marks an unreferenced blob older than the grace period as deleting, deletes its bytes, then removes the record; a
/// claim waits while the blob is marked, so bytes a push relies on are never deleted under it. Collections exclude each
/// other (<see cref="TryLockCollectionAsync"/>), which lets one finish the marks a crashed one left behind.
/// </remarks>
public interface IBlobCollectionStore
{
    /// <summary>
    /// Claims <paramref name="digest"/> for a push: records the blob, or moves its last push forward to
    /// <paramref name="claimedAt"/>, in one transaction; null while the blob is marked deleting (nothing changes then).
    /// </summary>
    Task<BlobClaim?> ClaimBlobAsync(Digest digest, DateTimeOffset claimedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="claim"/> still holds (the blob was not marked deleting or removed since), moving its last
    /// push forward to <paramref name="renewedAt"/> when it does.
    /// </summary>
    Task<bool> RenewClaimAsync(Digest digest, BlobClaim claim, DateTimeOffset renewedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Blobs no image of any repository references, not marked deleting, and last pushed before
    /// <paramref name="pushedBefore"/>, in digest order after <paramref name="afterDigest"/> (the collector's mark phase).
    /// </summary>
    Task<IReadOnlyList<Digest>> FindUnreferencedBlobsAsync(DateTimeOffset pushedBefore, string? afterDigest, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a blob deleting if it is still unreferenced, not marked and last pushed before <paramref name="pushedBefore"/>,
    /// and removes every repository link to it, deciding in one transaction; true when marked.
    /// </summary>
    Task<bool> MarkBlobDeletingAsync(Digest digest, DateTimeOffset pushedBefore, DateTimeOffset markedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Records bytes the metadata store never knew (left by a crash or from outside) as a blob marked deleting; false when
    /// the digest is already recorded, in which case nothing changes.
    /// </summary>
    Task<bool> MarkOrphanDeletingAsync(Digest digest, DateTimeOffset markedAt, CancellationToken cancellationToken);

    /// <summary>Blobs marked deleting, in digest order after <paramref name="afterDigest"/>.</summary>
    Task<IReadOnlyList<Digest>> ListDeletingBlobsAsync(string? afterDigest, int limit, CancellationToken cancellationToken);

    /// <summary>Forgets a blob marked deleting, once its bytes are gone; false when it is not marked.</summary>
    Task<bool> RemoveDeletedBlobAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Whether the metadata store records the blob at all, claimed, linked or marked.</summary>
    Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// The exclusive right to collect, held until disposed or until the holder's process ends; null while another
    /// collection (in any process over the same metadata) holds it.
    /// </summary>
    Task<IAsyncDisposable?> TryLockCollectionAsync(CancellationToken cancellationToken);
}
