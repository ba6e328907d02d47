namespace Berth.Domain.Collection;

/// <summary>
/// Online garbage collection: marks from the metadata store, sweeps blobs that nothing references and
/// that are older than a grace period, while pushes go on. A push that uploaded layers but has not put its
/// manifest yet is protected by the grace period; a blob pushed again restarts it.
/// </summary>
public sealed class GarbageCollector(IMetadataStore store, IBlobStore blobs, TimeProvider time)
{
    private const int Batch = 500;

    public async Task<CollectionReport> CollectAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - gracePeriod;
        var forgotten = 0;
        var deleted = 0;
        long bytes = 0;

        // Blobs the store knows but nothing references: forget them, then remove their bytes.
        string? after = null;
        while (true)
        {
            var candidates = await store.Images.FindUnreferencedBlobsAsync(cutoff, after, Batch, cancellationToken);
            foreach (var digest in candidates)
            {
                if (!await store.Images.ForgetBlobIfUnreferencedAsync(digest, cutoff, cancellationToken))
                {
                    continue;
                }

                forgotten++;
                var info = await blobs.StatAsync(digest, cancellationToken);
                if (await blobs.DeleteIfUnmodifiedAsync(digest, cutoff, cancellationToken))
                {
                    deleted++;
                    bytes += info?.Length ?? 0;
                }
            }

            if (candidates.Count < Batch)
            {
                break;
            }

            after = candidates[^1].ToString();
        }

        // Files the store never recorded (a crash between publishing bytes and linking them): old ones go.
        await foreach (var blob in blobs.EnumerateAsync(cancellationToken))
        {
            if (blob.LastModified < cutoff
                && !await store.Images.BlobExistsAsync(blob.Digest, cancellationToken)
                && await blobs.DeleteIfUnmodifiedAsync(blob.Digest, cutoff, cancellationToken))
            {
                deleted++;
                bytes += blob.Length;
            }
        }

        return new CollectionReport(forgotten, deleted, bytes);
    }
}

/// <summary>What one collection did.</summary>
public sealed record CollectionReport(int BlobsForgotten, int FilesDeleted, long BytesFreed);
