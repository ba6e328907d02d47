namespace Berth.Domain;

/// <summary>How an append to an upload ended.</summary>
public enum AppendStatus
{
    /// <summary>Every byte of the source was added to the upload.</summary>
    Appended,

    /// <summary>No such upload: never begun, committed, aborted or purged.</summary>
    UploadNotFound,

    /// <summary>The upload's length is not the offset the caller expected; nothing was read or written.</summary>
    OffsetMismatch,

    /// <summary>The source held more than the allowed bytes; the upload is left as it was before the call.</summary>
    TooLarge,
}

/// <summary>The outcome of an append; <see cref="Length"/> is the upload's length after the call (0 when not found).</summary>
public readonly record struct AppendResult(AppendStatus Status, long Length)
{
    public bool IsAppended => Status == AppendStatus.Appended;
}
