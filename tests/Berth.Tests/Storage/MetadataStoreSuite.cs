using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// The whole-store part of the metadata-store contract (migrations, durability) that every backend must pass; each
/// backend derives and names its harness.
/// </summary>
public abstract class MetadataStoreSuite : MetadataSuite
{
    [Fact]
    [Covers<IMetadataStore>(nameof(IMetadataStore.MigrateAsync))]
    public async Task Migrate_twice_is_harmless()
    {
        await Store.MigrateAsync(None);
        Assert.True(await Store.Repositories.CreateAsync(Repo("after-migrate"), [], None));
    }

    [Fact]
    [Covers<IMetadataStore>(nameof(IMetadataStore.MigrateAsync))]
    public async Task Everything_survives_a_reopen()
    {
        await Store.Repositories.CreateAsync(Repo("durable"), [new ResourceTag("k", "v")], None);
        await Store.AccessKeys.AddAsync(new AccessKey("AKIAEXAMPLE000000002", "s", "111111111111", Now), None);
        var image = Image("manifest");
        await PutAsync(Key("durable"), image, "v1");
        var upload = new UploadSession(Guid.NewGuid(), Key("durable"), Now, Now, 7);
        Assert.True(await Store.Uploads.CreateAsync(upload, None));
        Assert.True(await Store.Lifecycle.PutPolicyAsync(Key("durable"), "{}", None));

        var reopened = await ReopenAsync();

        Assert.NotNull(await reopened.Repositories.GetAsync(Repo("durable").Key, None));
        Assert.Equal([new ResourceTag("k", "v")], await reopened.Repositories.GetResourceTagsAsync(Repo("durable").Key, None));
        Assert.NotNull(await reopened.AccessKeys.FindAsync("AKIAEXAMPLE000000002", None));
        Assert.Equal(image.Bytes, (await reopened.Images.GetManifestAsync(Key("durable"), "v1", null, None))!.Manifest!.Value.ToArray());
        Assert.Equal(upload, await reopened.Uploads.GetAsync(upload.Id, None));
        Assert.Equal("{}", (await reopened.Lifecycle.GetPolicyAsync(Key("durable"), None))!.Text);
    }
}
