namespace Berth.Domain;

/// <summary>How a commit (or a one-shot put) of a blob ended.</summary>
public enum CommitStatus
{
    /// <summary>The blob is durably stored under its digest (it may have been stored already).</summary>
    Committed,

    /// <summary>The bytes hash to another digest; they are discarded.</summary>
    DigestMismatch,

    /// <summary>The byte count differs from the expected length; the bytes are discarded.</summary>
    LengthMismatch,

    /// <summary>No such upload: never begun, committed, aborted or purged.</summary>
    UploadNotFound,
}

/// <summary>
/// The outcome of a commit. <see cref="Length"/> is the number of bytes received (the blob's length when committed;
/// more than expected, but not necessarily all the source held, when a put exceeded its expected length).
/// <see cref="Computed"/> is the digest of the bytes received when it was computed (committed or digest mismatch).
/// </summary>
public readonly record struct CommitResult(CommitStatus Status, long Length, Digest Computed)
{
    public bool IsCommitted => Status == CommitStatus.Committed;
}
