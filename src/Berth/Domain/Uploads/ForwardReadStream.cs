namespace Berth.Domain.Uploads;

/// <summary>
/// A read-only, forward-only view of another stream that counts the bytes read and lets a subclass look at each read
/// (to refuse a body that ends early, to report that an upload is alive) without restating a Stream's boilerplate.
/// </summary>
public abstract class ForwardReadStream(Stream inner) : Stream
{
    /// <summary>The bytes read so far.</summary>
    protected long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        BytesRead += read;
        AfterRead(read, buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        await AfterReadAsync(read, buffer.Length, cancellationToken);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Called after every read with what it returned and what was asked; <see cref="BytesRead"/> includes it.</summary>
    protected virtual void AfterRead(int read, int asked)
    {
    }

    /// <summary>The asynchronous reads' hook; by default the synchronous one.</summary>
    protected virtual ValueTask AfterReadAsync(int read, int asked, CancellationToken cancellationToken)
    {
        AfterRead(read, asked);
        return ValueTask.CompletedTask;
    }
}
