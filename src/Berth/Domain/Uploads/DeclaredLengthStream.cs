namespace Berth.Domain.Uploads;

/// <summary>
/// A chunk's body that must hold the length the client declared: the read that finds it ending early fails,
/// so the blob store undoes the append (as it does for any failing source) instead of keeping a partial chunk.
/// </summary>
internal sealed class DeclaredLengthStream(Stream inner, long declared) : ForwardReadStream(inner)
{
    protected override void AfterRead(int read, int asked)
    {
        if (read == 0 && asked > 0 && BytesRead < declared)
        {
            throw new ChunkTooShortException(BytesRead, declared);
        }
    }
}

/// <summary>Raised inside an append, and caught by <see cref="UploadService"/>, when a chunk ends before its declared length.</summary>
internal sealed class ChunkTooShortException(long received, long declared)
    : IOException($"The chunk held {received} bytes, not the {declared} declared.");
