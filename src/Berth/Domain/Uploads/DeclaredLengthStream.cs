namespace Berth.Domain.Uploads;

/// <summary>
/// A chunk's body that must hold the length the client declared: the read that finds it ending early fails,
/// so the blob store undoes the append (as it does for any failing source) instead of keeping a partial chunk.
/// </summary>
internal sealed class DeclaredLengthStream(Stream inner, long declared) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer), buffer.Length);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken), buffer.Length);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read, int asked)
    {
        _read += read;
        if (read == 0 && asked > 0 && _read < declared)
        {
            throw new ChunkTooShortException(_read, declared);
        }

        return read;
    }
}

/// <summary>Raised inside an append, and caught by <see cref="UploadService"/>, when a chunk ends before its declared length.</summary>
internal sealed class ChunkTooShortException(long received, long declared)
    : IOException($"The chunk held {received} bytes, not the {declared} declared.");
