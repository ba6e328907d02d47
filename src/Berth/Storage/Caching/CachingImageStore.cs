using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Storage.Caching;

/// <summary>
/// An image store whose pull reads (manifest by tag or digest, tag pages) are answered from memory while
/// <paramref name="signal"/> says the store is unchanged (<see cref="ReadCache{TKey, TValue}"/>); every other call
/// goes straight to <paramref name="inner"/>. Works over any backend that has a change signal.
/// </summary>
/// <param name="inner">The store that holds the data.</param>
/// <param name="signal">Moves on after every write the caches must not outlive.</param>
/// <param name="maxAge">
/// How long an answer may be served when only a change the signal cannot see happened (another process on the same
/// database); zero turns the cache off.
/// </param>
public sealed class CachingImageStore(IImageStore inner, IChangeSignal signal, TimeSpan maxAge) : IImageStore
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(1);

    // Budgets for the read caches; an entry's weight is its bytes plus a rough allowance for the objects around them.
    private const long ManifestCacheBytes = 32L * 1024 * 1024;
    private const long TagPageCacheBytes = 16L * 1024 * 1024;

    // The completed tasks are kept, so a hit allocates nothing.
    private readonly ReadCache<ManifestKey, Task<ImageRecord?>> _manifests =
        new("manifests", signal, maxAge, ManifestCacheBytes, static read => 256 + (read.Result?.Manifest?.Length ?? 0));

    private readonly ReadCache<TagPageKey, Task<Page<string>?>> _tagPages =
        new("tags", signal, maxAge, TagPageCacheBytes, static read => 128 + (read.Result?.Items.Sum(tag => 32 + (2L * tag.Length)) ?? 0));

    public Task<ImageRecord?> GetManifestAsync(RepositoryKey repository, string? tag, Digest? digest, CancellationToken cancellationToken)
    {
        var key = new ManifestKey(repository, tag ?? digest!.Value.ToString(), tag is not null);
        return _manifests.TryGet(key, out var cached, out var stamp)
            ? cached
            : Keep(_manifests, key, stamp, inner.GetManifestAsync(repository, tag, digest, cancellationToken));
    }

    public Task<Page<string>?> ListTagsAsync(RepositoryKey repository, string? afterTag, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var key = new TagPageKey(repository, afterTag, limit);
        return _tagPages.TryGet(key, out var cached, out var stamp)
            ? cached
            : Keep(_tagPages, key, stamp, inner.ListTagsAsync(repository, afterTag, limit, cancellationToken));
    }

    public Task<bool> LinkBlobAsync(RepositoryKey repository, BlobRecord blob, CancellationToken cancellationToken) =>
        inner.LinkBlobAsync(repository, blob, cancellationToken);

    public Task<BlobRecord?> FindBlobAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        inner.FindBlobAsync(repository, digest, cancellationToken);

    public Task<BlobRecord?> MountBlobAsync(RepositoryKey from, RepositoryKey to, Digest digest, CancellationToken cancellationToken) =>
        inner.MountBlobAsync(from, to, digest, cancellationToken);

    public Task<bool> UnlinkBlobAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        inner.UnlinkBlobAsync(repository, digest, cancellationToken);

    public Task<PutImageOutcome> PutImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        CancellationToken cancellationToken) =>
        inner.PutImageAsync(repository, image, manifest, references, tag, cancellationToken);

    public Task<PutImageOutcome> PutImageAsync(
        RepositoryKey repository,
        ImageRecord image,
        ReadOnlyMemory<byte> manifest,
        IReadOnlyList<ImageReference> references,
        string? tag,
        IReadOnlyList<Domain.Outbox.OutboxMessage> outbox,
        CancellationToken cancellationToken) =>
        inner.PutImageAsync(repository, image, manifest, references, tag, outbox, cancellationToken);

    public Task<ImageRecord?> GetImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        inner.GetImageAsync(repository, digest, cancellationToken);

    public Task<Digest?> ResolveTagAsync(RepositoryKey repository, string tag, CancellationToken cancellationToken) =>
        inner.ResolveTagAsync(repository, tag, cancellationToken);

    public Task<DeleteImageStatus> DeleteImageAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        inner.DeleteImageAsync(repository, digest, cancellationToken);

    public Task<DeleteImageStatus> DeleteTagAsync(RepositoryKey repository, string tag, bool deleteUntaggedImage, CancellationToken cancellationToken) =>
        inner.DeleteTagAsync(repository, tag, deleteUntaggedImage, cancellationToken);

    public Task<DeleteImageStatus> DeleteImageAsync(
        RepositoryKey repository, Digest digest, IReadOnlyList<Domain.Outbox.OutboxMessage> outbox, CancellationToken cancellationToken) =>
        inner.DeleteImageAsync(repository, digest, outbox, cancellationToken);

    public Task<DeleteImageStatus> DeleteTagAsync(
        RepositoryKey repository, string tag, bool deleteUntaggedImage, Func<Digest, IReadOnlyList<Domain.Outbox.OutboxMessage>> outboxFor, CancellationToken cancellationToken) =>
        inner.DeleteTagAsync(repository, tag, deleteUntaggedImage, outboxFor, cancellationToken);

    public Task<IReadOnlyList<DeleteImageStatus>> DeleteImagesAsync(
        RepositoryKey repository, IReadOnlyList<Digest> digests, Func<IReadOnlyList<Digest>, IReadOnlyList<Domain.Outbox.OutboxMessage>> outboxFor, CancellationToken cancellationToken) =>
        inner.DeleteImagesAsync(repository, digests, outboxFor, cancellationToken);

    public Task<IReadOnlyList<ImageRecord>> ListReferrersAsync(RepositoryKey repository, Digest subject, CancellationToken cancellationToken) =>
        inner.ListReferrersAsync(repository, subject, cancellationToken);

    public Task RecordPullAsync(RepositoryKey repository, Digest digest, DateTimeOffset pulledAt, CancellationToken cancellationToken) =>
        inner.RecordPullAsync(repository, digest, pulledAt, cancellationToken);

    public Task<Page<ImageRecord>?> DescribeImagesAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? afterDigest,
        int limit,
        CancellationToken cancellationToken) =>
        inner.DescribeImagesAsync(repository, tagStatus, imageStatus, afterDigest, limit, cancellationToken);

    public Task<Page<ImageListEntry>?> ListImageIdsAsync(
        RepositoryKey repository,
        TagStatusFilter tagStatus,
        ImageStatusFilter imageStatus,
        string? afterKey,
        int limit,
        CancellationToken cancellationToken) =>
        inner.ListImageIdsAsync(repository, tagStatus, imageStatus, afterKey, limit, cancellationToken);

    public Task<bool> IsBlobReferencedAsync(RepositoryKey repository, Digest digest, CancellationToken cancellationToken) =>
        inner.IsBlobReferencedAsync(repository, digest, cancellationToken);


    public Task<long> CountImagesAsync(RepositoryKey repository, CancellationToken cancellationToken) =>
        inner.CountImagesAsync(repository, cancellationToken);

    /// <summary>Keeps a read's task once it has completed; a failed or cancelled read is not kept.</summary>
    private static Task<T> Keep<TKey, T>(ReadCache<TKey, Task<T>> cache, TKey key, ReadStamp stamp, Task<T> read)
        where TKey : notnull
    {
        if (read.IsCompletedSuccessfully)
        {
            cache.Add(key, stamp, read);
            return read;
        }

        return KeepWhenDoneAsync(cache, key, stamp, read);
    }

    private static async Task<T> KeepWhenDoneAsync<TKey, T>(ReadCache<TKey, Task<T>> cache, TKey key, ReadStamp stamp, Task<T> read)
        where TKey : notnull
    {
        var value = await read.ConfigureAwait(false);
        cache.Add(key, stamp, read);
        return value;
    }

    private readonly record struct ManifestKey(RepositoryKey Repository, string Reference, bool IsTag);

    private readonly record struct TagPageKey(RepositoryKey Repository, string? After, int Limit);
}
