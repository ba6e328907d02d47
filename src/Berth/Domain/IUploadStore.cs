namespace Berth.Domain;

/// <summary>
/// Upload sessions: which repository an upload belongs to, so that a chunked upload survives a restart and
/// can continue on any node. The bytes themselves live in the blob store under the same id.
/// </summary>
public interface IUploadStore
{
    /// <summary>Records a new session; false when the repository does not exist.</summary>
    Task<bool> CreateAsync(UploadSession session, CancellationToken cancellationToken);

    Task<UploadSession?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Notes progress (bytes received, last activity); false when the session is gone.</summary>
    Task<bool> TouchAsync(Guid id, long length, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Notes one more ECR layer part of <paramref name="partSize"/> bytes, remembering whether any part that is no
    /// longer the last was below <paramref name="minimumPartSize"/>; false when the session is gone.
    /// </summary>
    Task<bool> RecordPartAsync(Guid id, long length, long partSize, long minimumPartSize, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>Ends a session; false when it was already gone.</summary>
    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Sessions idle since before <paramref name="cutoff"/>, oldest first.</summary>
    Task<IReadOnlyList<UploadSession>> ListIdleAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken);
}

/// <summary>An upload in progress into one repository.</summary>
public sealed record UploadSession(Guid Id, RepositoryKey Repository, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, long Length)
{
    /// <summary>ECR layer parts received so far (OCI chunks are not counted).</summary>
    public int PartCount { get; init; }

    /// <summary>Whether a part other than the latest was below the minimum part size.</summary>
    public bool SmallPartSeen { get; init; }
}
