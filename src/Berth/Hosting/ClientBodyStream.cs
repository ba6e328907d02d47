namespace Berth.Hosting;

/// <summary>
/// A request body whose read failures are reported as the client's: Kestrel signals some broken framing (an
/// overflowing chunk size) with a plain <see cref="IOException"/>, which would otherwise look like a storage failure
/// and answer 500. Every read failure becomes a <see cref="BadHttpRequestException"/>, which the pipelines answer 400.
/// </summary>
public sealed class ClientBodyStream(Stream inner) : Stream
{
    private long _bytesRead;

    /// <summary>How many body bytes have been read, for the request metrics of a body sent without a length.</summary>
    public long BytesRead => _bytesRead;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            var read = inner.Read(buffer, offset, count);
            _bytesRead += read;
            return read;
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw Unreadable(ex);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = inner.Read(buffer);
            _bytesRead += read;
            return read;
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw Unreadable(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _bytesRead += read;
            return read;
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            throw Unreadable(ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static BadHttpRequestException Unreadable(IOException ex) =>
        new("The request body could not be read: " + ex.Message, StatusCodes.Status400BadRequest, ex);
}
