using System.Buffers;

namespace Berth.Domain.PullThrough;

/// <summary>
/// Reads from an upstream body and hands every block read to a client as well, so the blob store and the client get
/// the same bytes in one pass. The client's write of a block overlaps the store's hashing and writing of it and the next
/// upstream read (one block is copied aside for it), so the client is not slowed to the disk's pace nor the disk to the
/// client's. Memory: one block. A client that goes away stops receiving; the reading (and so the storing) goes on.
/// </summary>
internal sealed class TeeReadStream(Stream source, Stream? sink, CancellationToken sinkCancellation) : Stream
{
    private Stream? _sink = sink;
    private Task _pending = Task.CompletedTask;
    private byte[]? _block;

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
        await CompleteClientAsync();
        if (read > 0 && _sink is { } client)
        {
            if (_block is null || _block.Length < read)
            {
                if (_block is not null)
                {
                    ArrayPool<byte>.Shared.Return(_block);
                }

                _block = ArrayPool<byte>.Shared.Rent(read);
            }

            buffer.Span[..read].CopyTo(_block);
            _pending = client.WriteAsync(_block.AsMemory(0, read), sinkCancellation).AsTask();
        }

        return read;
    }

    /// <summary>Waits until the last block handed to the client is written (or the client is gone).</summary>
    public async Task CompleteClientAsync()
    {
        try
        {
            await _pending;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _sink = null;
        }

        _pending = Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await CompleteClientAsync();
        if (_block is not null)
        {
            ArrayPool<byte>.Shared.Return(_block);
            _block = null;
        }

        await base.DisposeAsync();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
