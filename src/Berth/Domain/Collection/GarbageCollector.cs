namespace Berth.Domain.Collection;

/// <summary>
/// Online garbage collection: marks from the metadata store, sweeps blobs that nothing references and that were last
/// pushed before a grace period, while pushes go on. A push that uploaded layers but has not put its manifest yet is
/// protected by the grace period; a blob pushed again restarts it. Ages come from the metadata store only.
/// </summary>
public sealed class GarbageCollector(IMetadataStore store, IBlobStore blobs, TimeProvider time)
{
    private const int Batch = 500;

    public async Task<CollectionReport> CollectAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var collection = store.Collection;
        await using var lease = await collection.TryLockCollectionAsync(cancellationToken);
        if (lease is null)
        {
            return CollectionReport.Skipped;
        }

        var report = new Tally();

        // Marks a collection left when it stopped midway: holding the lock, nobody else is deleting them.
        string? after = null;
        while (true)
        {
            var leftovers = await collection.ListDeletingBlobsAsync(after, Batch, cancellationToken);
            foreach (var digest in leftovers)
            {
                report.Add(await SweepAsync(collection, blobs, digest, cancellationToken));
            }

            if (leftovers.Count < Batch)
            {
                break;
            }

            after = leftovers[^1].ToString();
        }

        // Blobs the store knows but nothing references: mark them, then remove their bytes, then their record.
        var cutoff = time.GetUtcNow() - gracePeriod;
        after = null;
        while (true)
        {
            var candidates = await collection.FindUnreferencedBlobsAsync(cutoff, after, Batch, cancellationToken);
            foreach (var digest in candidates)
            {
                if (await collection.MarkBlobDeletingAsync(digest, cutoff, time.GetUtcNow(), cancellationToken))
                {
                    report.Forgotten++;
                    report.Add(await SweepAsync(collection, blobs, digest, cancellationToken));
                }
            }

            if (candidates.Count < Batch)
            {
                break;
            }

            after = candidates[^1].ToString();
        }

        // Bytes the store never recorded. A push claims a digest before publishing, so none of these belongs to a push
        // in progress, whatever their age: they go through the same mark, so a push arriving now waits for them.
        await foreach (var blob in blobs.EnumerateAsync(cancellationToken))
        {
            if (!await collection.BlobExistsAsync(blob.Digest, cancellationToken)
                && await collection.MarkOrphanDeletingAsync(blob.Digest, time.GetUtcNow(), cancellationToken))
            {
                report.Add(await SweepAsync(collection, blobs, blob.Digest, cancellationToken));
            }
        }

        return new CollectionReport(report.Forgotten, report.Deleted, report.Bytes);
    }

    /// <summary>
    /// Finishes a blob marked deleting: its bytes first, then its record, so a push waiting on the mark never finds the
    /// record gone while the bytes are still to be deleted. The caller holds the collection lock. Returns the bytes freed,
    /// or null when there were none to delete.
    /// </summary>
    internal static async Task<long?> SweepAsync(IBlobCollectionStore collection, IBlobStore blobs, Digest digest, CancellationToken cancellationToken)
    {
        var info = await blobs.StatAsync(digest, cancellationToken);
        var deleted = await blobs.DeleteAsync(digest, cancellationToken);
        await collection.RemoveDeletedBlobAsync(digest, cancellationToken);
        return deleted ? info?.Length ?? 0 : null;
    }

    private sealed class Tally
    {
        public int Forgotten;
        public int Deleted;
        public long Bytes;

        public void Add(long? freed)
        {
            if (freed is { } bytes)
            {
                Deleted++;
                Bytes += bytes;
            }
        }
    }
}

/// <summary>What one collection did; <see cref="WasSkipped"/> when another collection was running and this one did nothing.</summary>
public sealed record CollectionReport(int BlobsForgotten, int FilesDeleted, long BytesFreed)
{
    public static CollectionReport Skipped { get; } = new(0, 0, 0) { WasSkipped = true };

    public bool WasSkipped { get; init; }
}
