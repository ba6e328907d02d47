namespace Berth.Tests.Storage;

/// <summary>
/// A request body that hands out one chunk per read, each only when the test allows it, so a test can hold an upload
/// mid-stream, move the clock, and know exactly how far the reader has got (<see cref="WaitForReadAsync"/>).
/// </summary>
internal sealed class PacedStream(byte[] content, int chunk) : TestReadStream
{
    private readonly SemaphoreSlim _permits = new(0);
    private readonly SemaphoreSlim _reads = new(0);
    private int _position;

    /// <summary>Lets <paramref name="reads"/> more reads return.</summary>
    public void Allow(int reads = 1) => _permits.Release(reads);

    /// <summary>Waits until the reader asks for its next read, so everything it did with the last one is done.</summary>
    public async Task WaitForReadAsync()
    {
        Assert.True(await _reads.WaitAsync(TimeSpan.FromSeconds(60)), "the reader never asked for more");
    }

    public override int Read(Span<byte> buffer) => throw new NotSupportedException("Uploads read asynchronously.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _reads.Release();
        await _permits.WaitAsync(cancellationToken);
        var count = Math.Min(Math.Min(chunk, buffer.Length), content.Length - _position);
        content.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _permits.Dispose();
            _reads.Dispose();
        }

        base.Dispose(disposing);
    }
}
