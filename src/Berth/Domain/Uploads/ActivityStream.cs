namespace Berth.Domain.Uploads;

/// <summary>
/// An upload's incoming bytes, reporting that the upload is alive while they keep arriving: after a read that returns
/// bytes, at most once per <paramref name="interval"/> (by <paramref name="time"/>), it awaits
/// <paramref name="onActive"/> before handing them on. The upload purge judges uploads by their last activity, so a
/// request streaming for longer than the upload max age is not taken for an abandoned one, on any node.
/// </summary>
public sealed class ActivityStream(Stream inner, TimeProvider time, TimeSpan interval, Func<CancellationToken, ValueTask> onActive) : Stream
{
    /// <summary>
    /// How often a streaming upload refreshes its activity time: seldom enough to cost nothing next to the bytes (one small
    /// write a minute), often enough for any upload max age of a few minutes or more.
    /// </summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private DateTimeOffset _reported = time.GetUtcNow();
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

    // The stores read asynchronously; a synchronous read cannot wait for the report, so it only counts.
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _read += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _read += read;
        var now = time.GetUtcNow();
        if (read > 0 && now - _reported >= interval)
        {
            _reported = now;
            await onActive(cancellationToken);
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
