using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// The repository part of the metadata-store contract (settings, resource tags, keyset listing) that every backend
/// must pass; each backend derives and names its harness.
/// </summary>
public abstract class RepositoryStoreSuite : MetadataSuite
{
    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.CreateAsync))]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.GetAsync))]
    public async Task Created_repository_reads_back_with_every_field()
    {
        var repo = Repo("team/web") with
        {
            Mutability = TagMutability.ImmutableWithExclusion,
            MutabilityExclusionFilters = ["latest", "dev-*"],
            ScanOnPush = true,
            EncryptionType = "KMS",
            KmsKey = "arn:aws:kms:us-east-1:111111111111:key/abc",
        };
        Assert.True(await Store.Repositories.CreateAsync(repo, [new ResourceTag("team", "web")], None));

        var read = await Store.Repositories.GetAsync(repo.Key, None);

        Assert.NotNull(read);
        Assert.Equal(repo.Key, read.Key);
        Assert.Equal(Now, read.CreatedAt);
        Assert.Equal(TagMutability.ImmutableWithExclusion, read.Mutability);
        Assert.Equal(["latest", "dev-*"], read.MutabilityExclusionFilters);
        Assert.True(read.ScanOnPush);
        Assert.Equal("KMS", read.EncryptionType);
        Assert.Equal(repo.KmsKey, read.KmsKey);
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.CreateAsync))]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.GetResourceTagsAsync))]
    public async Task Creating_an_existing_name_returns_false_and_keeps_the_original()
    {
        Assert.True(await Store.Repositories.CreateAsync(Repo("dup"), [new ResourceTag("a", "1")], None));
        Assert.False(await Store.Repositories.CreateAsync(Repo("dup") with { ScanOnPush = true }, [new ResourceTag("b", "2")], None));

        var read = await Store.Repositories.GetAsync(Repo("dup").Key, None);
        Assert.False(read!.ScanOnPush);
        Assert.Equal([new ResourceTag("a", "1")], await Store.Repositories.GetResourceTagsAsync(read.Key, None));
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.CreateAsync))]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.ListAsync))]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.GetAsync))]
    public async Task Same_name_in_another_account_or_region_is_another_repository()
    {
        Assert.True(await Store.Repositories.CreateAsync(Repo("shared"), [], None));
        Assert.True(await Store.Repositories.CreateAsync(Repo("shared", account: "222222222222"), [], None));
        Assert.True(await Store.Repositories.CreateAsync(Repo("shared", region: "eu-west-1"), [], None));

        var page = await Store.Repositories.ListAsync(new RegistryScope("111111111111", "us-east-1"), null, 10, None);
        Assert.Single(page.Items);
        Assert.Null(await Store.Repositories.GetAsync(new RepositoryKey("333333333333", "us-east-1", "shared"), None));
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.ListAsync))]
    public async Task Listing_pages_by_name_with_a_keyset()
    {
        foreach (var name in new[] { "c-repo", "a-repo", "e-repo", "b-repo", "d-repo" })
        {
            await Store.Repositories.CreateAsync(Repo(name), [], None);
        }

        var scope = new RegistryScope("111111111111", "us-east-1");
        var first = await Store.Repositories.ListAsync(scope, null, 2, None);
        var second = await Store.Repositories.ListAsync(scope, first.NextKey, 2, None);
        var third = await Store.Repositories.ListAsync(scope, second.NextKey, 2, None);

        Assert.Equal(["a-repo", "b-repo"], first.Items.Select(r => r.Key.Name));
        Assert.Equal(["c-repo", "d-repo"], second.Items.Select(r => r.Key.Name));
        Assert.Equal(["e-repo"], third.Items.Select(r => r.Key.Name));
        Assert.Null(third.NextKey);
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.ListAsync))]
    public async Task A_page_that_exactly_fills_the_limit_has_no_next_key()
    {
        await Store.Repositories.CreateAsync(Repo("only-one"), [], None);
        var page = await Store.Repositories.ListAsync(new RegistryScope("111111111111", "us-east-1"), null, 1, None);
        Assert.Single(page.Items);
        Assert.Null(page.NextKey);
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.UpdateAsync))]
    public async Task Update_changes_settings_and_reports_missing_repositories()
    {
        await Store.Repositories.CreateAsync(Repo("settings"), [], None);
        var changed = Repo("settings") with { Mutability = TagMutability.Immutable, ScanOnPush = true };

        Assert.True(await Store.Repositories.UpdateAsync(changed, None));
        Assert.False(await Store.Repositories.UpdateAsync(Repo("absent"), None));
        var read = await Store.Repositories.GetAsync(changed.Key, None);
        Assert.Equal(TagMutability.Immutable, read!.Mutability);
        Assert.True(read.ScanOnPush);
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.DeleteAsync))]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.GetResourceTagsAsync))]
    public async Task Delete_returns_the_repository_and_drops_its_tags()
    {
        await Store.Repositories.CreateAsync(Repo("gone"), [new ResourceTag("k", "v")], None);

        var deleted = await Store.Repositories.DeleteAsync(Repo("gone").Key, None);

        Assert.Equal("gone", deleted!.Key.Name);
        Assert.Null(await Store.Repositories.GetAsync(Repo("gone").Key, None));
        Assert.Null(await Store.Repositories.GetResourceTagsAsync(Repo("gone").Key, None));
        Assert.Null(await Store.Repositories.DeleteAsync(Repo("gone").Key, None));

        // A new repository of the same name starts without the old tags.
        await Store.Repositories.CreateAsync(Repo("gone"), [], None);
        Assert.Empty((await Store.Repositories.GetResourceTagsAsync(Repo("gone").Key, None))!);
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.UpdateResourceTagsAsync))]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.GetResourceTagsAsync))]
    public async Task Tag_updates_upsert_remove_and_order_by_key()
    {
        var key = Repo("tags").Key;
        await Store.Repositories.CreateAsync(Repo("tags"), [new ResourceTag("b", "1"), new ResourceTag("a", "1")], None);

        Assert.Equal(
            TagUpdateOutcome.Updated,
            await Store.Repositories.UpdateResourceTagsAsync(key, [new ResourceTag("a", "2"), new ResourceTag("c", "3")], ["b", "never-there"], 50, None));

        Assert.Equal([new ResourceTag("a", "2"), new ResourceTag("c", "3")], await Store.Repositories.GetResourceTagsAsync(key, None));
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.UpdateResourceTagsAsync))]
    public async Task Tag_update_over_the_limit_changes_nothing()
    {
        var key = Repo("limited").Key;
        await Store.Repositories.CreateAsync(Repo("limited"), [new ResourceTag("a", "1"), new ResourceTag("b", "1")], None);

        var outcome = await Store.Repositories.UpdateResourceTagsAsync(key, [new ResourceTag("a", "changed"), new ResourceTag("c", "1")], [], 2, None);

        Assert.Equal(TagUpdateOutcome.TooManyTags, outcome);
        Assert.Equal([new ResourceTag("a", "1"), new ResourceTag("b", "1")], await Store.Repositories.GetResourceTagsAsync(key, None));
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.UpdateResourceTagsAsync))]
    public async Task Tag_update_on_a_missing_repository_says_so()
    {
        Assert.Equal(
            TagUpdateOutcome.RepositoryNotFound,
            await Store.Repositories.UpdateResourceTagsAsync(Repo("nope").Key, [new ResourceTag("a", "1")], [], 50, None));
    }

    [Fact]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.CreateAsync))]
    public async Task Concurrent_creates_of_one_name_admit_exactly_one()
    {
        var attempts = Enumerable.Range(0, 16).Select(_ => Store.Repositories.CreateAsync(Repo("race"), [], None));
        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, results.Count(created => created));
    }
}
