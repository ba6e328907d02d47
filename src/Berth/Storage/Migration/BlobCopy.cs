using Berth.Domain;
using Berth.Hosting.Composition;

namespace Berth.Storage.Migration;

/// <summary>What the blob copy did: blobs written, blobs the target already held, records whose bytes were gone.</summary>
public sealed record BlobCopyReport(long Copied, long CopiedBytes, long AlreadyThere, long WithoutBytes);

/// <summary>
/// Streams the recorded blobs from one blob store into another through the target's verified put, a few at a time:
/// each is hashed on the way and published only when it matches its digest, and no blob is held whole in memory.
/// </summary>
public static class BlobCopy
{
    /// <summary>Blobs in flight at once: enough to keep an S3 endpoint busy, each holding one bounded buffer.</summary>
    public const int Parallelism = 4;

    /// <summary>
    /// Copies every blob of <paramref name="digests"/>. A blob the target already stores at the same length is skipped
    /// (a store only publishes verified bytes), which is what makes an interrupted migration safe to run again. A
    /// record without bytes (a push's claim that never published, a collection cut short) is counted, not an error.
    /// </summary>
    /// <exception cref="MigrationRefusedException">A source blob does not hash to its digest.</exception>
    public static async Task<BlobCopyReport> RunAsync(IReadOnlyList<string> digests, IBlobStore source, IBlobStore target, CancellationToken cancellationToken)
    {
        long copied = 0, copiedBytes = 0, alreadyThere = 0, withoutBytes = 0;
        await Parallel.ForEachAsync(digests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (text, token) =>
            {
                if (!Digest.TryParse(text, out var digest))
                {
                    throw new MigrationRefusedException($"berth: the blobs table records '{text}', which is not a digest; nothing was written to the database");
                }

                if (await source.StatAsync(digest, token) is not { } info)
                {
                    Interlocked.Increment(ref withoutBytes);
                    return;
                }

                if (await target.StatAsync(digest, token) is { } there && there.Length == info.Length)
                {
                    Interlocked.Increment(ref alreadyThere);
                    return;
                }

                await using var bytes = await source.OpenReadAsync(digest, 0, null, token);
                if (bytes is null)
                {
                    Interlocked.Increment(ref withoutBytes);
                    return;
                }

                var result = await target.PutAsync(bytes, digest, info.Length, token);
                if (result.Status != CommitStatus.Committed)
                {
                    throw new MigrationRefusedException(
                        $"berth: blob {digest} in the data dir does not match its digest or length ({result.Status}); the source is damaged and nothing was written to the database");
                }

                Interlocked.Increment(ref copied);
                Interlocked.Add(ref copiedBytes, info.Length);
            });
        return new BlobCopyReport(copied, copiedBytes, alreadyThere, withoutBytes);
    }
}
