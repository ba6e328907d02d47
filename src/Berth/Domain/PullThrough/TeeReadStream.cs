namespace Berth.Domain.PullThrough;

/// <summary>
/// Reads from an upstream body and writes every block read to a client as well, so the blob store and the client get
/// the same bytes in one pass with one buffer. A client that goes away stops receiving; the reading (and so the
/// storing) goes on.
/// </summary>
internal sealed class TeeReadStream(Stream source, Stream? sink, CancellationToken sinkCancellation) : Stream
{
    private Stream? _sink = sink;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        if (read > 0 && _sink is { } client)
        {
            try
            {
                await client.WriteAsync(buffer[..read], sinkCancellation);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                _sink = null;
            }
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
