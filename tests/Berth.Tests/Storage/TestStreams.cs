using System.Buffers.Binary;

namespace Berth.Tests.Storage;

/// <summary>Read-only streams that model request bodies without holding them in memory.</summary>
internal abstract class TestReadStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A deterministic pseudo-random byte sequence of any length, generated as it is read.</summary>
/// <remarks>
/// Bytes come from a 64 KiB random tile whose first eight bytes are the tile's index, so generation runs at copy speed
/// and no two tiles are alike: a chunk stored at the wrong offset changes the digest.
/// </remarks>
internal sealed class PatternStream : TestReadStream
{
    private const int TileSize = 64 * 1024;

    private readonly byte[] _tile = new byte[TileSize];
    private readonly long _length;
    private long _position;

    public PatternStream(long length, int seed)
    {
        _length = length;
        new Random(seed).NextBytes(_tile);
        BinaryPrimitives.WriteInt64LittleEndian(_tile, 0);
    }

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, _length - _position);
        var target = buffer[..count];
        while (!target.IsEmpty)
        {
            var inTile = (int)(_position % TileSize);
            if (inTile == 0)
            {
                BinaryPrimitives.WriteInt64LittleEndian(_tile, _position / TileSize);
            }

            var take = Math.Min(TileSize - inTile, target.Length);
            _tile.AsSpan(inTile, take).CopyTo(target);
            target = target[take..];
            _position += take;
        }

        return count;
    }
}

/// <summary>Yields some bytes, then fails the way a dropped client connection does.</summary>
internal sealed class FailingStream(byte[] before) : TestReadStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position == before.Length)
        {
            throw new IOException("The client went away.");
        }

        var count = Math.Min(buffer.Length, before.Length - _position);
        before.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}

/// <summary>Hands out another stream's bytes at most <paramref name="largestRead"/> at a time, like a socket.</summary>
internal sealed class TrickleStream(Stream inner, int largestRead) : TestReadStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer[..Math.Min(buffer.Length, largestRead)]);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
