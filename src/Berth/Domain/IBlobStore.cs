namespace Berth.Domain;

/// <summary>
/// Content-addressed blob bytes, shared by every repository and account; the metadata store decides who may see which
/// blob and when unreferenced bytes may go (<see cref="IBlobCollectionStore"/>).
/// </summary>
/// <remarks>
/// A blob becomes visible only once its digest is verified and it is durably written, so a crash never exposes partial
/// content. Whoever publishes bytes (<see cref="PutAsync"/>, <see cref="IBlobUploadStore.CommitAsync"/>) claims the
/// digest in the metadata store first, so garbage collection never judges a blob by anything the bytes store keeps.
/// Expected outcomes are results, never exceptions.
/// </remarks>
public interface IBlobStore
{
    /// <summary>The blob's length and when its bytes were written, or null when it is not stored.</summary>
    ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="length"/> bytes (all remaining when null, clamped to the blob's end) from
    /// <paramref name="offset"/>, or null when the blob is not stored. The offset must not exceed the blob's length:
    /// callers check a requested range against <see cref="StatAsync"/> first.
    /// </summary>
    ValueTask<Stream?> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>
    /// A URL a client can fetch the whole blob from directly until <paramref name="lifetime"/> has passed (a presigned
    /// URL, for example), or null when the backend has none to offer and the bytes must be served through
    /// <see cref="OpenReadAsync"/>. The caller checks that the blob exists first: a backend may sign a URL without looking.
    /// </summary>
    ValueTask<Uri?> TryGetReadUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a whole blob in one call: streams it aside while hashing, verifies, then publishes it. When
    /// <paramref name="expectedLength"/> is set, a source of any other length fails with
    /// <see cref="CommitStatus.LengthMismatch"/> and little more than that many bytes is read. A blob already stored is
    /// a success once the source is verified, and is left as it was.
    /// </summary>
    ValueTask<CommitResult> PutAsync(Stream source, Digest expected, long? expectedLength, CancellationToken cancellationToken);

    /// <summary>Removes a blob; false when it was not stored. Deciding that it may go is garbage collection's job.</summary>
    ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Every stored blob, for garbage collection to find bytes the metadata store never recorded; order is unspecified.</summary>
    IAsyncEnumerable<BlobInfo> EnumerateAsync(CancellationToken cancellationToken);
}
