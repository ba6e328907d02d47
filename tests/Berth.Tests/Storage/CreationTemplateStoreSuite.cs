using Berth.Domain;
using Berth.Domain.Templates;

namespace Berth.Tests.Storage;

/// <summary>The repository creation template part of the metadata-store contract that every backend must pass.</summary>
public abstract class CreationTemplateStoreSuite : MetadataSuite
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}""";
    private const string Lifecycle = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}""";

    private static readonly RegistryScope Registry = new(Account, Region);

    private ICreationTemplateStore Templates => Store.CreationTemplates;

    private static CreationTemplate Template(string prefix, TemplateUses uses = TemplateUses.CreateOnPush) => new(
        prefix,
        "team \"prod\" repos",
        "KMS",
        "arn:aws:kms:us-east-1:111111111111:key/abc-1",
        [new ResourceTag("team", "a b\tc"), new ResourceTag("cost", "")],
        TagMutability.ImmutableWithExclusion,
        ["latest", "dev-*"],
        Policy,
        Lifecycle,
        uses,
        "arn:aws:iam::111111111111:role/ecr",
        Now,
        Now.AddSeconds(1));

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.AddAsync))]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.FindAsync))]
    public async Task A_template_keeps_every_field_across_a_reopen_and_belongs_to_its_registry()
    {
        var template = Template("prod/", TemplateUses.CreateOnPush | TemplateUses.Replication);
        Assert.Equal(TemplateAddition.Added, await Templates.AddAsync(Registry, template, 10, None));

        var reopened = await ReopenAsync();
        var found = Assert.Single(await reopened.CreationTemplates.FindAsync(Registry, ["prod/"], None));
        AssertSame(template, found);
        Assert.Empty(await reopened.CreationTemplates.FindAsync(new RegistryScope(OtherAccount, Region), ["prod/"], None));
        Assert.Empty(await reopened.CreationTemplates.FindAsync(new RegistryScope(Account, "eu-west-1"), ["prod/"], None));
    }

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.AddAsync))]
    public async Task A_taken_key_or_a_full_registry_takes_nothing_and_keeps_the_stored_template()
    {
        Assert.Equal(TemplateAddition.Added, await Templates.AddAsync(Registry, Template("prod"), 2, None));
        // "prod/" is the same namespace as "prod".
        Assert.Equal(TemplateAddition.AlreadyExists, await Templates.AddAsync(Registry, Template("prod/") with { Description = "other" }, 2, None));
        Assert.Equal(TemplateAddition.Added, await Templates.AddAsync(Registry, Template("ROOT"), 2, None));
        Assert.Equal(TemplateAddition.LimitReached, await Templates.AddAsync(Registry, Template("dev"), 2, None));
        Assert.Equal(TemplateAddition.Added, await Templates.AddAsync(new RegistryScope(OtherAccount, Region), Template("dev"), 2, None));

        Assert.Equal("prod", Assert.Single(await Templates.FindAsync(Registry, ["prod/"], None)).Prefix);
        Assert.Empty(await Templates.FindAsync(Registry, ["dev/"], None));
    }

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.FindAsync))]
    public async Task Find_answers_the_templates_of_the_keys_asked_ordered_by_key()
    {
        await Templates.AddAsync(Registry, Template("a"), 10, None);
        await Templates.AddAsync(Registry, Template("a/b"), 10, None);
        await Templates.AddAsync(Registry, Template("ROOT"), 10, None);
        await Templates.AddAsync(Registry, Template("c"), 10, None);

        var found = await Templates.FindAsync(Registry, ["a/b/c/", "a/b/", "a/", "ROOT", "a/"], None);

        Assert.Equal(["ROOT", "a", "a/b"], found.Select(t => t.Prefix).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(found.Select(t => t.Key).Order(StringComparer.Ordinal), found.Select(t => t.Key));
        Assert.Empty(await Templates.FindAsync(Registry, [], None));
    }

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.ReplaceAsync))]
    public async Task Replace_changes_every_field_but_the_creation_time_and_misses_an_unknown_key()
    {
        await Templates.AddAsync(Registry, Template("prod"), 10, None);
        var changed = new CreationTemplate(
            "prod/", null, "AES256", null, [], TagMutability.Mutable, [], null, null, TemplateUses.PullThroughCache, null, Now.AddDays(5), Now.AddDays(6));

        Assert.True(await Templates.ReplaceAsync(Registry, changed, None));
        Assert.False(await Templates.ReplaceAsync(Registry, changed with { Prefix = "dev" }, None));

        var stored = Assert.Single(await Templates.FindAsync(Registry, ["prod/"], None));
        AssertSame(changed with { CreatedAt = Now }, stored);
    }

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.DeleteAsync))]
    public async Task Delete_answers_the_removed_template_once()
    {
        var template = Template("prod");
        await Templates.AddAsync(Registry, template, 10, None);

        Assert.Null(await Templates.DeleteAsync(new RegistryScope(OtherAccount, Region), "prod/", None));
        AssertSame(template, (await Templates.DeleteAsync(Registry, "prod/", None))!);
        Assert.Null(await Templates.DeleteAsync(Registry, "prod/", None));
        Assert.Empty(await Templates.FindAsync(Registry, ["prod/"], None));
    }

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.ListAsync))]
    public async Task List_pages_by_key_with_a_next_key_only_when_more_remain()
    {
        foreach (var prefix in new[] { "c", "a", "ROOT", "b/x" })
        {
            await Templates.AddAsync(Registry, Template(prefix), 10, None);
        }

        await Templates.AddAsync(new RegistryScope(OtherAccount, Region), Template("z"), 10, None);

        var first = await Templates.ListAsync(Registry, null, 2, None);
        Assert.Equal(["ROOT", "a"], first.Items.Select(t => t.Prefix));
        Assert.Equal("a/", first.NextKey);
        var second = await Templates.ListAsync(Registry, first.NextKey, 2, None);
        Assert.Equal(["b/x", "c"], second.Items.Select(t => t.Prefix));
        Assert.Null(second.NextKey);
    }

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.CreateRepositoryAsync))]
    public async Task Creating_a_repository_stores_its_tags_and_policies_together_once()
    {
        var repository = Repo("prod/app") with { Mutability = TagMutability.Immutable, EncryptionType = "KMS", KmsKey = "arn:aws:kms:us-east-1:111111111111:key/k" };
        Assert.True(await Templates.CreateRepositoryAsync(repository, [new ResourceTag("team", "a")], Policy, Lifecycle, None));
        Assert.False(await Templates.CreateRepositoryAsync(repository with { Mutability = TagMutability.Mutable }, [], null, null, None));

        var stored = await Store.Repositories.GetAsync(repository.Key, None);
        Assert.Equal(TagMutability.Immutable, stored!.Mutability);
        Assert.Equal(("KMS", repository.KmsKey), (stored.EncryptionType, stored.KmsKey));
        Assert.Equal([new ResourceTag("team", "a")], await Store.Repositories.GetResourceTagsAsync(repository.Key, None));
        Assert.Equal(Policy, await Store.Policies.GetRepositoryPolicyAsync(repository.Key, None));
        Assert.Equal(Lifecycle, (await Store.Lifecycle.GetPolicyAsync(repository.Key, None))?.Text);

        var bare = Repo("dev/app");
        Assert.True(await Templates.CreateRepositoryAsync(bare, [], null, null, None));
        Assert.Null(await Store.Policies.GetRepositoryPolicyAsync(bare.Key, None));
        Assert.Null(await Store.Lifecycle.GetPolicyAsync(bare.Key, None));
    }

    [Fact]
    [Covers<ICreationTemplateStore>(nameof(ICreationTemplateStore.CreateRepositoryAsync))]
    public async Task Concurrent_creations_of_one_name_make_one_repository()
    {
        var attempts = Enumerable.Range(0, 8)
            .Select(i => Templates.CreateRepositoryAsync(Repo("race/app"), [new ResourceTag("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture))], Policy, null, None))
            .ToArray();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, created => created);
        Assert.Single((await Store.Repositories.GetResourceTagsAsync(Key("race/app"), None))!);
    }

    private static void AssertSame(CreationTemplate expected, CreationTemplate actual)
    {
        Assert.Equal(expected.Prefix, actual.Prefix);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.EncryptionType, actual.EncryptionType);
        Assert.Equal(expected.KmsKey, actual.KmsKey);
        Assert.Equal(expected.ResourceTags, actual.ResourceTags);
        Assert.Equal(expected.Mutability, actual.Mutability);
        Assert.Equal(expected.MutabilityExclusionFilters, actual.MutabilityExclusionFilters);
        Assert.Equal(expected.RepositoryPolicy, actual.RepositoryPolicy);
        Assert.Equal(expected.LifecyclePolicy, actual.LifecyclePolicy);
        Assert.Equal(expected.AppliedFor, actual.AppliedFor);
        Assert.Equal(expected.CustomRoleArn, actual.CustomRoleArn);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }
}
