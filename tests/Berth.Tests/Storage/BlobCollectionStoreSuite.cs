using System.Text;
using Berth.Domain;
using Berth.Domain.Images;

namespace Berth.Tests.Storage;

/// <summary>
/// The garbage-collection part of the metadata-store contract (<see cref="IBlobCollectionStore"/>): claims, last-push
/// ages, deleting marks and the collection lock. Every backend derives and supplies stores over one fresh storage.
/// </summary>
public abstract class BlobCollectionStoreSuite : IAsyncLifetime
{
    private const string Account = "111111111111";

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    private static readonly CancellationToken None = CancellationToken.None;

    protected IMetadataStore Store { get; private set; } = null!;

    private IBlobCollectionStore Collection => Store.Collection;

    /// <summary>A store over this test's storage: the first call gets fresh, empty storage, later calls the same one.</summary>
    protected abstract Task<IMetadataStore> OpenStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await OpenStoreAsync();
        await Store.MigrateAsync(None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static Digest DigestOf(string content) => Digest.Compute(Encoding.UTF8.GetBytes(content));

    private async Task<RepositoryKey> CreateRepositoryAsync(string name)
    {
        var key = new RepositoryKey(Account, "us-east-1", name);
        Assert.True(await Store.Repositories.CreateAsync(new Repository(key, T0, TagMutability.Mutable, [], false, "AES256", null), [], None));
        return key;
    }

    private async Task<Digest> LinkAsync(RepositoryKey repository, string content, DateTimeOffset at)
    {
        var digest = DigestOf(content);
        Assert.True(await Store.Images.LinkBlobAsync(repository, new BlobRecord(digest, content.Length, at), None));
        return digest;
    }

    private async Task<IReadOnlyList<Digest>> UnreferencedAsync(DateTimeOffset pushedBefore) =>
        await Collection.FindUnreferencedBlobsAsync(pushedBefore, null, 100, None);

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.ClaimBlobAsync))]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.BlobExistsAsync))]
    public async Task Claim_records_the_blob_without_showing_it_to_any_repository()
    {
        var web = await CreateRepositoryAsync("web");
        var digest = DigestOf("layer");
        Assert.False(await Collection.BlobExistsAsync(digest, None));

        var claim = await Collection.ClaimBlobAsync(digest, T0, None);

        Assert.NotNull(claim);
        Assert.True(await Collection.BlobExistsAsync(digest, None));
        Assert.Null(await Store.Images.FindBlobAsync(web, digest, None));
        Assert.Equal(claim, await Collection.ClaimBlobAsync(digest, T0.AddMinutes(1), None));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.ClaimBlobAsync))]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.FindUnreferencedBlobsAsync))]
    public async Task A_claim_moves_the_last_push_forward_and_never_back()
    {
        var digest = DigestOf("layer");
        await Collection.ClaimBlobAsync(digest, T0, None);
        Assert.Equal([digest], await UnreferencedAsync(T0.AddHours(1)));

        await Collection.ClaimBlobAsync(digest, T0.AddHours(2), None);
        await Collection.ClaimBlobAsync(digest, T0, None);

        Assert.Empty(await UnreferencedAsync(T0.AddHours(1)));
        Assert.Empty(await UnreferencedAsync(T0.AddHours(2)));
        Assert.Equal([digest], await UnreferencedAsync(T0.AddHours(2).AddMilliseconds(1)));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.FindUnreferencedBlobsAsync))]
    public async Task Unreferenced_blobs_are_found_in_digest_order_and_referenced_or_marked_ones_are_not()
    {
        var web = await CreateRepositoryAsync("web");
        var referenced = await LinkAsync(web, "referenced layer", T0);
        var orphans = new List<Digest>();
        for (var i = 0; i < 5; i++)
        {
            orphans.Add(await LinkAsync(web, $"orphan {i}", T0));
        }

        var marked = await LinkAsync(web, "marked", T0);
        Assert.True(await Collection.MarkBlobDeletingAsync(marked, T0.AddHours(1), T0.AddHours(1), None));
        var manifest = Encoding.UTF8.GetBytes("manifest");
        var image = new ImageRecord(Digest.Compute(manifest), "application/vnd.oci.image.manifest.v1+json", manifest.Length, 1, T0, null, null, null, null);
        Assert.Equal(PutImageStatus.Created, (await Store.Images.PutImageAsync(web, image, manifest, [new ImageReference(referenced, ImageReferenceKind.Blob)], "v1", None)).Status);

        var sorted = orphans.OrderBy(d => d.ToString(), StringComparer.Ordinal).ToList();
        var first = await Collection.FindUnreferencedBlobsAsync(T0.AddHours(1), null, 3, None);
        var rest = await Collection.FindUnreferencedBlobsAsync(T0.AddHours(1), first[^1].ToString(), 3, None);

        Assert.Equal(sorted[..3], first);
        Assert.Equal(sorted[3..], rest);
        Assert.Empty(await UnreferencedAsync(T0));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.MarkBlobDeletingAsync))]
    public async Task Mark_takes_every_link_and_blocks_claims_until_the_record_is_removed()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var digest = await LinkAsync(web, "layer", T0);
        Assert.NotNull(await Store.Images.MountBlobAsync(web, api, digest, None));
        var cutoff = DateTimeOffset.UtcNow.AddYears(1); // beyond the mount's own clock, which the interface does not take

        Assert.True(await Collection.MarkBlobDeletingAsync(digest, cutoff, cutoff, None));

        Assert.Null(await Store.Images.FindBlobAsync(web, digest, None));
        Assert.Null(await Store.Images.FindBlobAsync(api, digest, None));
        Assert.Null(await Collection.ClaimBlobAsync(digest, cutoff, None));
        Assert.True(await Collection.BlobExistsAsync(digest, None));
        Assert.False(await Collection.MarkBlobDeletingAsync(digest, cutoff, cutoff, None));

        // Linking a marked blob neither revives it nor makes it readable: its bytes are going.
        Assert.True(await Store.Images.LinkBlobAsync(web, new BlobRecord(digest, 5, cutoff), None));
        Assert.Null(await Store.Images.FindBlobAsync(web, digest, None));
        Assert.Null(await Collection.ClaimBlobAsync(digest, cutoff, None));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.MarkBlobDeletingAsync))]
    public async Task Mark_refuses_a_blob_pushed_since_the_cutoff_or_referenced_by_an_image()
    {
        var web = await CreateRepositoryAsync("web");
        var recent = await LinkAsync(web, "recent", T0);
        await Collection.ClaimBlobAsync(recent, T0.AddHours(2), None);
        var referenced = await LinkAsync(web, "referenced", T0);
        var manifest = Encoding.UTF8.GetBytes("manifest");
        var image = new ImageRecord(Digest.Compute(manifest), "application/vnd.oci.image.manifest.v1+json", manifest.Length, 1, T0, null, null, null, null);
        await Store.Images.PutImageAsync(web, image, manifest, [new ImageReference(referenced, ImageReferenceKind.Blob)], null, None);

        Assert.False(await Collection.MarkBlobDeletingAsync(recent, T0.AddHours(1), T0.AddHours(1), None));
        Assert.False(await Collection.MarkBlobDeletingAsync(referenced, T0.AddHours(1), T0.AddHours(1), None));
        Assert.False(await Collection.MarkBlobDeletingAsync(DigestOf("never recorded"), T0.AddHours(1), T0.AddHours(1), None));
        Assert.NotNull(await Store.Images.FindBlobAsync(web, recent, None));
        Assert.NotNull(await Store.Images.FindBlobAsync(web, referenced, None));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.RenewClaimAsync))]
    public async Task A_claim_holds_until_the_blob_is_marked_and_a_recreated_record_is_not_the_one_claimed()
    {
        var digest = DigestOf("layer");
        var claim = (await Collection.ClaimBlobAsync(digest, T0, None))!.Value;

        Assert.True(await Collection.RenewClaimAsync(digest, claim, T0.AddHours(3), None));
        Assert.Empty(await UnreferencedAsync(T0.AddHours(2))); // the renewal moved the last push forward

        Assert.True(await Collection.MarkBlobDeletingAsync(digest, T0.AddHours(4), T0.AddHours(4), None));
        Assert.False(await Collection.RenewClaimAsync(digest, claim, T0.AddHours(4), None));
        Assert.True(await Collection.RemoveDeletedBlobAsync(digest, None));
        Assert.False(await Collection.RenewClaimAsync(digest, claim, T0.AddHours(4), None));

        var again = (await Collection.ClaimBlobAsync(digest, T0.AddHours(5), None))!.Value;
        Assert.NotEqual(claim, again);
        Assert.False(await Collection.RenewClaimAsync(digest, claim, T0.AddHours(5), None));
        Assert.True(await Collection.RenewClaimAsync(digest, again, T0.AddHours(5), None));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.MarkOrphanDeletingAsync))]
    public async Task Orphan_mark_records_unknown_bytes_as_deleting_and_leaves_known_blobs_alone()
    {
        var web = await CreateRepositoryAsync("web");
        var known = await LinkAsync(web, "known", T0);
        var orphan = DigestOf("orphan");

        Assert.False(await Collection.MarkOrphanDeletingAsync(known, T0, None));
        Assert.True(await Collection.MarkOrphanDeletingAsync(orphan, T0, None));
        Assert.False(await Collection.MarkOrphanDeletingAsync(orphan, T0, None));

        Assert.NotNull(await Store.Images.FindBlobAsync(web, known, None));
        Assert.NotNull(await Collection.ClaimBlobAsync(known, T0, None));
        Assert.Null(await Collection.ClaimBlobAsync(orphan, T0, None));
        Assert.Equal([orphan], await Collection.ListDeletingBlobsAsync(null, 10, None));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.ListDeletingBlobsAsync))]
    public async Task Marked_blobs_are_listed_in_digest_order_in_pages()
    {
        var marked = new List<Digest>();
        for (var i = 0; i < 5; i++)
        {
            marked.Add(DigestOf($"marked {i}"));
            Assert.True(await Collection.MarkOrphanDeletingAsync(marked[^1], T0, None));
        }

        await Collection.ClaimBlobAsync(DigestOf("live"), T0, None);
        var sorted = marked.OrderBy(d => d.ToString(), StringComparer.Ordinal).ToList();

        var first = await Collection.ListDeletingBlobsAsync(null, 2, None);
        var rest = await Collection.ListDeletingBlobsAsync(first[^1].ToString(), 10, None);

        Assert.Equal(sorted[..2], first);
        Assert.Equal(sorted[2..], rest);
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.RemoveDeletedBlobAsync))]
    public async Task Remove_forgets_only_a_marked_blob()
    {
        var web = await CreateRepositoryAsync("web");
        var live = await LinkAsync(web, "live", T0);
        var marked = await LinkAsync(web, "marked", T0);
        Assert.True(await Collection.MarkBlobDeletingAsync(marked, T0.AddHours(1), T0.AddHours(1), None));

        Assert.False(await Collection.RemoveDeletedBlobAsync(live, None));
        Assert.True(await Collection.RemoveDeletedBlobAsync(marked, None));
        Assert.False(await Collection.RemoveDeletedBlobAsync(marked, None));

        Assert.NotNull(await Store.Images.FindBlobAsync(web, live, None));
        Assert.False(await Collection.BlobExistsAsync(marked, None));
        Assert.Empty(await Collection.ListDeletingBlobsAsync(null, 10, None));
        Assert.NotNull(await Collection.ClaimBlobAsync(marked, T0.AddHours(2), None));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.TryLockCollectionAsync))]
    public async Task Only_one_collection_holds_the_lock_across_instances_until_it_lets_go()
    {
        var other = await OpenStoreAsync(); // another process over the same metadata

        var held = await Collection.TryLockCollectionAsync(None);
        Assert.NotNull(held);
        Assert.Null(await Collection.TryLockCollectionAsync(None));
        Assert.Null(await other.Collection.TryLockCollectionAsync(None));

        await held.DisposeAsync();

        await using var next = await other.Collection.TryLockCollectionAsync(None);
        Assert.NotNull(next);
        Assert.Null(await Collection.TryLockCollectionAsync(None));
    }

    [Fact]
    [Covers<IBlobCollectionStore>(nameof(IBlobCollectionStore.FindUnreferencedBlobsAsync))]
    public async Task Linking_or_mounting_a_blob_again_restarts_its_grace_period()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var linked = await LinkAsync(web, "linked", T0);
        var mounted = await LinkAsync(web, "mounted", T0);

        await LinkAsync(api, "linked", T0.AddHours(2));
        Assert.NotNull(await Store.Images.MountBlobAsync(web, api, mounted, None));

        // The mount stamps its own clock, which is later than T0 + 1 h here.
        Assert.DoesNotContain(linked, await UnreferencedAsync(T0.AddHours(1)));
        Assert.DoesNotContain(mounted, await UnreferencedAsync(T0.AddHours(1)));
        Assert.Contains(linked, await UnreferencedAsync(T0.AddHours(3)));
    }
}
