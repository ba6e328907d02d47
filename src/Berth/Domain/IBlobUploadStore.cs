namespace Berth.Domain;

/// <summary>
/// The bytes of resumable uploads: appended at exact offsets, verified against a digest on commit and then published
/// into the blob store under that digest. Sessions (which repository an upload belongs to) live in
/// <see cref="IUploadStore"/> under the same id.
/// </summary>
/// <remarks>
/// Uploads live in the store itself, so an upload can continue after a restart or on another instance over the same
/// storage. Expected outcomes are results, never exceptions.
/// </remarks>
public interface IBlobUploadStore
{
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

    /// <summary>Every upload in progress with the time bytes last arrived; order is unspecified.</summary>
    IAsyncEnumerable<UploadInfo> EnumerateUploadsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes uploads and leftover temporary data last modified before <paramref name="modifiedBefore"/>, skipping any
    /// upload in use at that moment; returns how many were removed.
    /// </summary>
    ValueTask<int> PurgeUploadsAsync(DateTimeOffset modifiedBefore, CancellationToken cancellationToken);
}
