using System.Security.Cryptography;
using Berth.Domain;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>Moves blob bytes between a stream and a file through one pooled buffer, hashing them on the way.</summary>
internal static class HashingCopy
{
    /// <summary>Bytes taken from the source, and whether it held more than the limit allowed.</summary>
    public readonly record struct Result(long Written, bool LimitExceeded);

    /// <summary>Streams the source into the file from an offset, feeding the hash as bytes go.</summary>
    /// <remarks>
    /// Two buffers take turns: while one is filled from the source, the other is hashed and written on a pool thread, so
    /// receiving overlaps hashing and writing. With <paramref name="direct"/>, whole aligned blocks are written with
    /// direct I/O where the filesystem allows it (see <see cref="DirectIo"/>); otherwise, and for a head that starts
    /// mid-block or a last partial block, bytes go through the page cache with their writeback started at once. Either
    /// way nothing is durable until the publishing fsync.
    /// </remarks>
    public static async ValueTask<Result> CopyAsync(Stream source, SafeFileHandle file, long offset, IncrementalHash? hash, long? limit, bool direct, CancellationToken cancellationToken)
    {
        var writer = new BlockWriter(file, direct);
        var buffers = new[] { AlignedBuffer.Rent(), AlignedBuffer.Rent() };
        var pending = Task.CompletedTask;
        try
        {
            long written = 0;
            for (var next = 0; ; next ^= 1)
            {
                // An append that starts mid-block reads only up to the block's end, so that every later read lands at
                // an aligned file offset and at the buffer's aligned start.
                var buffer = buffers[next].Memory;
                var position = offset + written;
                var room = position % DirectIo.Alignment is var misaligned and not 0 ? DirectIo.Alignment - (int)misaligned : buffer.Length;

                // With a limit, ask for one byte past it: a source that is too long is caught without reading it all.
                var want = limit is { } max && max - written < room ? (int)(max - written) + 1 : room;

                // Filling the buffer turns a request body's many small reads into few large writes; it is filled while
                // the other buffer is hashed and written.
                var read = await source.ReadAtLeastAsync(buffer[..want], want, throwOnEndOfStream: false, cancellationToken);
                await pending;
                if (limit is { } cap && written + read > cap)
                {
                    return new Result(written + read, LimitExceeded: true);
                }

                if (read > 0)
                {
                    var block = buffer[..read];
                    pending = Task.Run(() => writer.WriteAsync(block, position, hash, cancellationToken).AsTask(), cancellationToken);
                    written += read;
                }

                if (read < want)
                {
                    await pending;
                    return new Result(written, LimitExceeded: false);
                }
            }
        }
        finally
        {
            // A failed read must not return a buffer, or leave the file, while a block is still being written from it.
            try
            {
                await pending;
            }
            catch (Exception) when (pending.IsFaulted || pending.IsCanceled)
            {
                // Already seen by the caller through the await in the loop, or superseded by the read's own failure.
            }

            writer.Finish();
            buffers[0].Return();
            buffers[1].Return();
        }
    }

    /// <summary>Hashes the first <paramref name="length"/> bytes of a file, for a commit with no usable running hash.</summary>
    public static async ValueTask<Digest> HashFileAsync(SafeFileHandle file, long length, DigestAlgorithm algorithm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(Digest.ToHashAlgorithmName(algorithm));
        var buffer = AlignedBuffer.Rent();
        try
        {
            var memory = buffer.Memory;
            long offset = 0;
            while (offset < length)
            {
                var want = (int)Math.Min(memory.Length, length - offset);
                var read = await RandomAccess.ReadAsync(file, memory[..want], offset, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(memory.Span[..read]);
                offset += read;
            }
        }
        finally
        {
            buffer.Return();
        }

        return FinishHash(hash, algorithm);
    }

    public static Digest FinishHash(IncrementalHash hash, DigestAlgorithm algorithm)
    {
        Span<byte> value = stackalloc byte[SHA512.HashSizeInBytes];
        var length = hash.GetHashAndReset(value);
        return Digest.FromHash(algorithm, value[..length]);
    }
}
