using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Berth.Domain;

namespace Berth.Storage.S3;

/// <summary>
/// Blob bytes in an S3 bucket under the same content-addressed keys as the filesystem's (<see cref="BlobKeys"/>), after
/// an optional prefix. Any number of nodes may share the bucket.
/// </summary>
/// <remarks>
/// A one-shot put knows its digest before it starts, so it streams into a multipart upload at the blob's own key and
/// completes it only once the hash and length are verified: S3 makes the object visible at completion, never before, so
/// unverified bytes are never readable. A put smaller than one part is verified in memory and written in one request.
/// Parts go out a few at a time (<see cref="S3PartSender"/>) while the next is read and hashed, so memory per put is
/// <see cref="S3PartSender.InFlight"/> + 1 parts. When the blob already exists the put is verified and abandoned, leaving
/// the stored object as it was.
/// </remarks>
public sealed class S3BlobStore : IBlobStore
{
    /// <summary>
    /// The size of every part but the last, and so the memory one append holds (a put: a few). S3 needs at least 5 MiB; 8 MiB
    /// allows blobs up to 78 GiB within S3's 10,000 parts.
    /// </summary>
    public const int PartSize = 8 * 1024 * 1024;

    private const int StatConcurrency = 16;

    private readonly S3Bucket _bucket;
    private readonly TimeProvider _time;
    private readonly bool _redirect;

    /// <summary>A store over <paramref name="bucket"/>, keeping every key under <paramref name="prefix"/> (empty, or ending in '/').</summary>
    public S3BlobStore(IAmazonS3 client, string bucket, string prefix, bool redirect, TimeProvider time)
        : this(new S3Bucket(client, bucket, prefix), redirect, time)
    {
    }

    internal S3BlobStore(S3Bucket bucket, bool redirect, TimeProvider time)
    {
        _bucket = bucket;
        _redirect = redirect;
        _time = time;
    }

    public async ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var head = await _bucket.HeadAsync(BlobKeys.Blob(digest), cancellationToken);
        return head is null ? null : new BlobInfo(digest, head.ContentLength, S3Bucket.CommittedTime(head));
    }

    public async ValueTask<Stream?> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(requested, nameof(length));
        }

        var key = BlobKeys.Blob(digest);
        var head = await _bucket.HeadAsync(key, cancellationToken);
        if (head is null)
        {
            return null;
        }

        var size = head.ContentLength;
        if (offset > size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The blob holds {size} bytes.");
        }

        var count = Math.Min(length ?? long.MaxValue, size - offset);
        if (count == 0)
        {
            return new MemoryStream([], writable: false);
        }

        // Deleted between the two requests: as good as never stored.
        var response = await _bucket.GetAsync(key, offset, offset + count - 1, cancellationToken);
        return response is null ? null : new S3ReadStream(response, count);
    }

    /// <summary>A presigned GET of the blob's object when redirects are on, else null.</summary>
    public async ValueTask<Uri?> TryGetReadUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (!_redirect)
        {
            return null;
        }

        var client = _bucket.Client;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket.Name,
            Key = _bucket.Key(BlobKeys.Blob(digest)),
            Verb = HttpVerb.GET,
            // The SDK signs with its own clock and turns this into a lifetime from that moment, so it is set on the same clock.
            Expires = DateTime.UtcNow + lifetime,
        };

        // The SDK signs https unless told otherwise; an http endpoint (a local S3) must get an http URL.
        if (client.Config.ServiceURL is { } serviceUrl && serviceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            request.Protocol = Protocol.HTTP;
        }

        return new Uri(await client.GetPreSignedURLAsync(request));
    }

    public async ValueTask<CommitResult> PutAsync(Stream source, Digest expected, long? expectedLength, CancellationToken cancellationToken)
    {
        ThrowIfEmpty(expected);
        if (expectedLength is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(n, nameof(expectedLength));
        }

        var key = BlobKeys.Blob(expected);
        using var hash = IncrementalHash.CreateHash(Digest.ToHashAlgorithmName(expected.Algorithm));
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        string? multipartId = null;
        S3PartSender? sender = null;
        var completed = false;
        try
        {
            long total = 0;
            int read;
            while (true)
            {
                // With a limit, ask for one byte past it: a source that is too long is caught without reading it all.
                var want = expectedLength is { } max && max - total < PartSize ? (int)(max - total) + 1 : PartSize;
                read = await source.ReadAtLeastAsync(buffer!.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                total += read;
                if (expectedLength is { } cap && total > cap)
                {
                    return new CommitResult(CommitStatus.LengthMismatch, total, default);
                }

                hash.AppendData(buffer, 0, read);
                if (read < want)
                {
                    break;
                }

                // A full part, and the source may hold more: send it while the next is read. The first one opens the
                // multipart upload; its parts stay invisible until it is completed below, after verification.
                multipartId ??= await _bucket.StartMultipartAsync(key, S3Bucket.CommittedAt(_time.GetUtcNow()), cancellationToken);
                sender ??= new S3PartSender(_bucket, key, multipartId, cancellationToken);
                var full = buffer;
                buffer = null;
                await sender.SendAsync(full, read);
                buffer = ArrayPool<byte>.Shared.Rent(PartSize);
                read = 0;
            }

            if (expectedLength is { } length && total != length)
            {
                return new CommitResult(CommitStatus.LengthMismatch, total, default);
            }

            var computed = FinishHash(hash, expected.Algorithm);
            if (computed != expected)
            {
                return new CommitResult(CommitStatus.DigestMismatch, total, computed);
            }

            // Verified even when the blob already exists (knowing a digest must not stand in for having its bytes), and
            // then left as it was.
            await _bucket.PublishAsync(key, async () =>
            {
                if (sender is null)
                {
                    await _bucket.PutAsync(key, buffer!.AsMemory(0, read), S3Bucket.CommittedAt(_time.GetUtcNow()), cancellationToken);
                }
                else
                {
                    if (read > 0)
                    {
                        var last = buffer!;
                        buffer = null;
                        await sender.SendAsync(last, read);
                    }

                    await _bucket.CompleteMultipartAsync(key, multipartId!, await sender.FinishAsync(), cancellationToken);
                    completed = true;
                }
            }, cancellationToken);

            return new CommitResult(CommitStatus.Committed, total, computed);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (sender is not null)
            {
                await sender.DisposeAsync();
            }

            if (multipartId is not null && !completed)
            {
                await _bucket.AbortMultipartAsync(_bucket.Key(key), multipartId, CancellationToken.None);
            }
        }
    }

    public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) =>
        _bucket.DeleteAsync(BlobKeys.Blob(digest), cancellationToken);

    public async IAsyncEnumerable<BlobInfo> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var algorithm in BlobKeys.Algorithms)
        {
            var directory = BlobKeys.AlgorithmDirectory(algorithm) + "/";
            var batch = new List<Digest>(StatConcurrency);
            await foreach (var item in _bucket.ListAsync(directory, cancellationToken))
            {
                if (TryParseBlobKey(item.Key.AsSpan(directory.Length), algorithm, out var digest))
                {
                    batch.Add(digest);
                }

                if (batch.Count == StatConcurrency)
                {
                    foreach (var blob in await StatAllAsync(batch, cancellationToken))
                    {
                        yield return blob;
                    }

                    batch.Clear();
                }
            }

            foreach (var blob in await StatAllAsync(batch, cancellationToken))
            {
                yield return blob;
            }
        }
    }

    internal static Digest FinishHash(IncrementalHash hash, DigestAlgorithm algorithm)
    {
        Span<byte> value = stackalloc byte[SHA512.HashSizeInBytes];
        var length = hash.GetHashAndReset(value);
        return Digest.FromHash(algorithm, value[..length]);
    }

    internal static void ThrowIfEmpty(Digest digest)
    {
        if (digest.IsEmpty)
        {
            throw new ArgumentException("default(Digest) names no blob.", nameof(digest));
        }
    }

    // A listing carries S3's own modification time only; the commit time recorded with each object needs a HEAD, so
    // they are asked for a few at a time.
    private async Task<List<BlobInfo>> StatAllAsync(List<Digest> digests, CancellationToken cancellationToken)
    {
        var stats = new Task<BlobInfo?>[digests.Count];
        for (var i = 0; i < digests.Count; i++)
        {
            stats[i] = StatAsync(digests[i], cancellationToken).AsTask();
        }

        var found = new List<BlobInfo>(digests.Count);
        foreach (var stat in await Task.WhenAll(stats))
        {
            if (stat is { } blob)
            {
                found.Add(blob); // deleted since the listing otherwise
            }
        }

        return found;
    }

    // Only keys a commit could have written: "<first two hex>/<hex>" with valid lowercase hex.
    private static bool TryParseBlobKey(ReadOnlySpan<char> rest, DigestAlgorithm algorithm, out Digest digest)
    {
        digest = default;
        return rest.Length > 3 && rest[2] == '/' && rest[3..].StartsWith(rest[..2], StringComparison.Ordinal)
            && Digest.TryFromHex(algorithm, rest[3..], out digest);
    }
}
