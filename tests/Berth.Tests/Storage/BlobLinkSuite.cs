using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// Blob links in the metadata-store contract: which repository may read which blob, and mounts between
/// repositories. Every backend derives and supplies a store.
/// </summary>
public abstract class BlobLinkSuite : MetadataSuite
{
    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.LinkBlobAsync))]
    [Covers<IImageStore>(nameof(IImageStore.FindBlobAsync))]
    public async Task Linked_blob_is_visible_only_in_its_repository()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");

        var blob = await LinkAsync(web, "layer");

        var found = await Images.FindBlobAsync(web, blob.Digest, None);
        Assert.Equal(blob, found);
        Assert.Null(await Images.FindBlobAsync(api, blob.Digest, None));
        Assert.Null(await Images.FindBlobAsync(Key("missing"), blob.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.LinkBlobAsync))]
    public async Task Linking_to_a_missing_repository_returns_false()
    {
        Assert.False(await Images.LinkBlobAsync(Key("missing"), Blob("x"), None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.LinkBlobAsync))]
    public async Task Linking_the_same_blob_twice_is_harmless()
    {
        var web = await CreateRepositoryAsync("web");
        await LinkAsync(web, "layer");
        Assert.True(await Images.LinkBlobAsync(web, Blob("layer") with { CreatedAt = Now.AddHours(1) }, None));
        Assert.Equal(5, (await Images.FindBlobAsync(web, Blob("layer").Digest, None))!.Size);
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.MountBlobAsync))]
    public async Task Mount_links_a_blob_the_source_has_into_the_target()
    {
        var source = await CreateRepositoryAsync("source");
        var target = await CreateRepositoryAsync("target");
        var blob = await LinkAsync(source, "shared layer");

        var mounted = await Images.MountBlobAsync(source, target, blob.Digest, None);

        Assert.Equal(blob.Digest, mounted!.Digest);
        Assert.Equal(blob.Size, mounted.Size);
        Assert.NotNull(await Images.FindBlobAsync(target, blob.Digest, None));
        Assert.NotNull(await Images.FindBlobAsync(source, blob.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.MountBlobAsync))]
    public async Task Mount_needs_the_source_link_even_when_another_repository_has_the_blob()
    {
        var holder = await CreateRepositoryAsync("holder");
        var source = await CreateRepositoryAsync("source");
        var target = await CreateRepositoryAsync("target");
        var blob = await LinkAsync(holder, "layer");

        Assert.Null(await Images.MountBlobAsync(source, target, blob.Digest, None));
        Assert.Null(await Images.FindBlobAsync(target, blob.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.MountBlobAsync))]
    public async Task Mount_into_a_missing_repository_returns_null()
    {
        var source = await CreateRepositoryAsync("source");
        var blob = await LinkAsync(source, "layer");

        Assert.Null(await Images.MountBlobAsync(source, Key("missing"), blob.Digest, None));
        Assert.Null(await Images.MountBlobAsync(Key("missing"), source, blob.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.FindBlobAsync))]
    [Covers<IImageStore>(nameof(IImageStore.MountBlobAsync))]
    public async Task Accounts_are_separate_for_blobs()
    {
        var mine = await CreateRepositoryAsync("same-name");
        var theirs = await CreateRepositoryAsync("same-name", account: OtherAccount);
        var blob = await LinkAsync(mine, "layer");

        Assert.Null(await Images.FindBlobAsync(theirs, blob.Digest, None));
        Assert.Null(await Images.MountBlobAsync(Key("same-name", OtherAccount), theirs, blob.Digest, None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.UnlinkBlobAsync))]
    public async Task Unlink_removes_only_that_repository_link()
    {
        var web = await CreateRepositoryAsync("web");
        var api = await CreateRepositoryAsync("api");
        var blob = await LinkAsync(web, "layer");
        await LinkAsync(api, "layer");

        Assert.True(await Images.UnlinkBlobAsync(web, blob.Digest, None));

        Assert.Null(await Images.FindBlobAsync(web, blob.Digest, None));
        Assert.NotNull(await Images.FindBlobAsync(api, blob.Digest, None));
        Assert.False(await Images.UnlinkBlobAsync(web, blob.Digest, None));
        Assert.False(await Images.UnlinkBlobAsync(Key("missing"), blob.Digest, None));
    }
}
