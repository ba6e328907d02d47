namespace Berth.Domain;

/// <summary>
/// Content-addressed blob bytes, shared by every repository and account; the metadata store decides who may see which blob.
/// </summary>
/// <remarks>
/// A blob becomes visible only once its digest is verified and it is durably written, so a crash never exposes partial
/// content. Uploads are keyed by an id the store hands out and live in the store itself, so an upload can continue after a
/// restart or on another instance over the same storage. Expected outcomes are results, never exceptions.
/// </remarks>
public interface IBlobStore
{
    /// <summary>The blob's length and age, or null when it is not stored.</summary>
    ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="length"/> bytes (all remaining when null, clamped to the blob's end) from
    /// <paramref name="offset"/>, or null when the blob is not stored. The offset must not exceed the blob's length:
    /// callers check a requested range against <see cref="StatAsync"/> first.
    /// </summary>
    ValueTask<Stream?> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a whole blob in one call: streams it aside while hashing, verifies, then publishes it. When
    /// <paramref name="expectedLength"/> is set, a source of any other length fails with
    /// <see cref="CommitStatus.LengthMismatch"/> and little more than that many bytes is read.
    /// </summary>
    ValueTask<CommitResult> PutAsync(Stream source, Digest expected, long? expectedLength, CancellationToken cancellationToken);

    /// <summary>Starts an empty upload and returns its id.</summary>
    ValueTask<Guid> BeginUploadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends the whole of <paramref name="source"/> to the upload if its current length is
    /// <paramref name="expectedOffset"/>. A call that fails or exceeds <paramref name="maxBytes"/> leaves the upload as it
    /// was, so the same chunk can be sent again.
    /// </summary>
    ValueTask<AppendResult> AppendAsync(Guid uploadId, long expectedOffset, Stream source, long? maxBytes, CancellationToken cancellationToken);

    /// <summary>The number of bytes the upload holds, or null when there is no such upload.</summary>
    ValueTask<long?> GetUploadLengthAsync(Guid uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// Verifies the upload against <paramref name="expected"/> (and <paramref name="expectedLength"/> when set) and
    /// publishes it as a blob. A blob that already exists is a success. On success or mismatch the upload is gone.
    /// </summary>
    ValueTask<CommitResult> CommitAsync(Guid uploadId, Digest expected, long? expectedLength, CancellationToken cancellationToken);

    /// <summary>Discards an upload; false when there was no such upload.</summary>
    ValueTask<bool> AbortAsync(Guid uploadId, CancellationToken cancellationToken);

    /// <summary>Removes a blob; false when it was not stored. Deciding that nothing references it is the caller's job.</summary>
    ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Garbage collection's delete: removes the blob only if it was last written (or re-committed) before
    /// <paramref name="modifiedBefore"/>, so a blob pushed again while the collector runs survives.
    /// </summary>
    ValueTask<bool> DeleteIfUnmodifiedAsync(Digest digest, DateTimeOffset modifiedBefore, CancellationToken cancellationToken);

    /// <summary>Every stored blob with its age, for garbage collection; order is unspecified.</summary>
    IAsyncEnumerable<BlobInfo> EnumerateAsync(CancellationToken cancellationToken);

    /// <summary>Every upload in progress with the time bytes last arrived; order is unspecified.</summary>
    IAsyncEnumerable<UploadInfo> EnumerateUploadsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes uploads and leftover temporary data last modified before <paramref name="modifiedBefore"/>, skipping any
    /// upload in use at that moment; returns how many were removed.
    /// </summary>
    ValueTask<int> PurgeUploadsAsync(DateTimeOffset modifiedBefore, CancellationToken cancellationToken);
}
