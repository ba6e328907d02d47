using System.Buffers;
using System.Security.Cryptography;
using Berth.Domain;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>Moves blob bytes between a stream and a file through one pooled buffer, hashing them on the way.</summary>
internal static class HashingCopy
{
    // Large enough that a 1 GiB layer costs about a thousand write calls; one buffer per transfer keeps memory flat.
    private const int BufferSize = 1024 * 1024;

    /// <summary>Bytes taken from the source, and whether it held more than the limit allowed.</summary>
    public readonly record struct Result(long Written, bool LimitExceeded);

    /// <summary>Streams the source into the file from an offset, feeding the hash as bytes go.</summary>
    public static async ValueTask<Result> CopyAsync(Stream source, SafeFileHandle file, long offset, IncrementalHash? hash, long? limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long written = 0;
            while (true)
            {
                // With a limit, ask for one byte past it: a source that is too long is caught without reading it all.
                var want = limit is { } max && max - written < buffer.Length ? (int)(max - written) + 1 : buffer.Length;

                // Filling the buffer turns a request body's many small reads into few large writes.
                var read = await source.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                if (limit is { } cap && written + read > cap)
                {
                    return new Result(written + read, LimitExceeded: true);
                }

                if (read > 0)
                {
                    // The hash runs while the write is in flight; both only read the buffer.
                    var write = RandomAccess.WriteAsync(file, buffer.AsMemory(0, read), offset + written, cancellationToken);
                    try
                    {
                        hash?.AppendData(buffer, 0, read);
                    }
                    finally
                    {
                        await write;
                    }

                    written += read;
                }

                if (read < want)
                {
                    return new Result(written, LimitExceeded: false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hashes the first <paramref name="length"/> bytes of a file, for a commit with no usable running hash.</summary>
    public static async ValueTask<Digest> HashFileAsync(SafeFileHandle file, long length, DigestAlgorithm algorithm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(Digest.ToHashAlgorithmName(algorithm));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long offset = 0;
            while (offset < length)
            {
                var want = (int)Math.Min(buffer.Length, length - offset);
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
