namespace Berth.Domain.Collection;

/// <summary>
/// A push's side of the collection protocol: claim a digest in the metadata store before publishing or relying on its
/// bytes, and check the claim still holds before linking them (docs/storage-layout.md).
/// </summary>
public sealed class BlobClaims(IMetadataStore store, IBlobStore blobs, TimeProvider time)
{
    // A collector deletes one marked blob in milliseconds; far longer means something is wrong, and the push fails.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Claims <paramref name="digest"/>, waiting while a collector deletes it: once that collector has removed the bytes
    /// and the record, the claim records the blob afresh and the push writes the bytes again.
    /// </summary>
    public async Task<BlobClaim> ClaimAsync(Digest digest, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(5);
        var waited = TimeSpan.Zero;
        while (true)
        {
            if (await store.Collection.ClaimBlobAsync(digest, time.GetUtcNow(), cancellationToken) is { } claim)
            {
                return claim;
            }

            // Marked deleting. With no collection running, the mark is a leftover of one that stopped midway: finish it.
            await using (var lease = await store.Collection.TryLockCollectionAsync(cancellationToken))
            {
                if (lease is not null)
                {
                    if (await store.Collection.ClaimBlobAsync(digest, time.GetUtcNow(), cancellationToken) is { } claimed)
                    {
                        return claimed;
                    }

                    await GarbageCollector.SweepAsync(store.Collection, blobs, digest, cancellationToken);
                    continue;
                }
            }

            if (waited >= MaxWait)
            {
                throw new TimeoutException($"Blob {digest} has been marked deleting for more than {MaxWait.TotalSeconds} s.");
            }

            // A backoff between tries, not a time anything is measured against, so it runs on real time.
            await Task.Delay(poll, cancellationToken);
            waited += poll;
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxPoll.Ticks));
        }
    }

    /// <summary>
    /// Whether the bytes a push published under <paramref name="claim"/> can be linked: true when the claim still holds,
    /// or when a collector took the record meanwhile but the bytes are present under a fresh claim.
    /// </summary>
    public async Task<bool> ConfirmAsync(Digest digest, BlobClaim claim, CancellationToken cancellationToken)
    {
        if (await store.Collection.RenewClaimAsync(digest, claim, time.GetUtcNow(), cancellationToken))
        {
            return true;
        }

        // A collection that began more than its grace period after the claim marked the blob. It deletes the bytes
        // before it removes the record, so once a new claim succeeds, bytes still present were published after that.
        await ClaimAsync(digest, cancellationToken);
        return await blobs.StatAsync(digest, cancellationToken) is not null;
    }
}
