using Berth.Domain;
using Berth.Domain.PullThrough;

namespace Berth.Tests.Storage;

/// <summary>The pull-through cache part of the metadata-store contract (rules, tag checks, secrets) that every backend must pass.</summary>
public abstract class PullThroughStoreSuite : MetadataSuite
{
    private static readonly RegistryScope Registry = new(Account, Region);

    private static PullThroughRule Rule(string prefix, RegistryScope? registry = null, string? credential = null) => new(
        registry ?? Registry, prefix, "quay.io", "quay", credential, null, PullThroughRule.Root, Now, Now);

    [Fact]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.AddRuleAsync))]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.GetRuleAsync))]
    public async Task A_rule_is_added_once_survives_a_reopen_and_belongs_to_its_registry()
    {
        var rule = Rule("quay", credential: "arn:aws:secretsmanager:us-east-1:111111111111:secret:ecr-pullthroughcache/q") with { UpstreamRepositoryPrefix = "team" };
        Assert.Equal(PullThroughRuleAddition.Added, await Store.PullThrough.AddRuleAsync(rule, 50, None));
        Assert.Equal(PullThroughRuleAddition.AlreadyExists, await Store.PullThrough.AddRuleAsync(rule with { UpstreamRegistryUrl = "other" }, 50, None));

        var reopened = await ReopenAsync();
        Assert.Equal(rule, await reopened.PullThrough.GetRuleAsync(Registry, "quay", None));
        Assert.Null(await reopened.PullThrough.GetRuleAsync(new RegistryScope(OtherAccount, Region), "quay", None));
        Assert.Null(await reopened.PullThrough.GetRuleAsync(new RegistryScope(Account, "eu-west-1"), "quay", None));
        Assert.Null(await reopened.PullThrough.GetRuleAsync(Registry, "QUAY", None));
    }

    [Fact]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.AddRuleAsync))]
    public async Task A_registry_at_the_limit_takes_no_more_rules_while_another_registry_still_does()
    {
        Assert.Equal(PullThroughRuleAddition.Added, await Store.PullThrough.AddRuleAsync(Rule("a1"), 2, None));
        Assert.Equal(PullThroughRuleAddition.Added, await Store.PullThrough.AddRuleAsync(Rule("a2"), 2, None));
        Assert.Equal(PullThroughRuleAddition.LimitReached, await Store.PullThrough.AddRuleAsync(Rule("a3"), 2, None));
        Assert.Equal(PullThroughRuleAddition.Added, await Store.PullThrough.AddRuleAsync(Rule("a3", new RegistryScope(OtherAccount, Region)), 2, None));
    }

    [Fact]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.UpdateRuleAsync))]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.DeleteRuleAsync))]
    public async Task Update_changes_only_the_credentials_and_delete_returns_the_rule_once()
    {
        await Store.PullThrough.AddRuleAsync(Rule("hub", credential: "old"), 50, None);
        var later = Now.AddHours(1);
        var updated = await Store.PullThrough.UpdateRuleAsync(Registry, "hub", "new", "role", later, None);
        Assert.Equal(Rule("hub") with { CredentialArn = "new", CustomRoleArn = "role", UpdatedAt = later }, updated);
        Assert.Null(await Store.PullThrough.UpdateRuleAsync(Registry, "nope", "new", null, later, None));

        Assert.Equal(updated, await Store.PullThrough.DeleteRuleAsync(Registry, "hub", None));
        Assert.Null(await Store.PullThrough.DeleteRuleAsync(Registry, "hub", None));
        Assert.Null(await Store.PullThrough.GetRuleAsync(Registry, "hub", None));
    }

    [Fact]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.ListRulesAsync))]
    public async Task Rules_list_in_ordinal_pages_with_a_next_key_only_when_more_remain()
    {
        foreach (var prefix in new[] { "b", "ROOT", "a/x", "c" })
        {
            await Store.PullThrough.AddRuleAsync(Rule(prefix == "b" ? "bb" : prefix), 50, None);
        }

        await Store.PullThrough.AddRuleAsync(Rule("zz", new RegistryScope(OtherAccount, Region)), 50, None);
        var first = await Store.PullThrough.ListRulesAsync(Registry, null, 2, None);
        Assert.Equal(["ROOT", "a/x"], first.Items.Select(r => r.EcrRepositoryPrefix));
        Assert.Equal("a/x", first.NextKey);
        var second = await Store.PullThrough.ListRulesAsync(Registry, first.NextKey, 2, None);
        Assert.Equal(["bb", "c"], second.Items.Select(r => r.EcrRepositoryPrefix));
        Assert.Null(second.NextKey);
    }

    [Fact]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.GetTagCheckAsync))]
    [Covers<IPullThroughStore>(nameof(IPullThroughStore.SetTagCheckAsync))]
    public async Task A_tag_check_is_kept_per_repository_and_tag_and_goes_with_the_repository()
    {
        var repository = await CreateRepositoryAsync("cache/app");
        Assert.Null(await Store.PullThrough.GetTagCheckAsync(repository, "v1", None));
        Assert.False(await Store.PullThrough.SetTagCheckAsync(Key("missing"), "v1", Now, None));

        Assert.True(await Store.PullThrough.SetTagCheckAsync(repository, "v1", Now, None));
        Assert.True(await Store.PullThrough.SetTagCheckAsync(repository, "v1", Now.AddDays(1), None));
        Assert.Equal(Now.AddDays(1), await Store.PullThrough.GetTagCheckAsync(repository, "v1", None));
        Assert.Null(await Store.PullThrough.GetTagCheckAsync(repository, "v2", None));

        await Store.Repositories.DeleteAsync(repository, None);
        await CreateRepositoryAsync("cache/app");
        Assert.Null(await Store.PullThrough.GetTagCheckAsync(repository, "v1", None));
    }

    [Fact]
    [Covers<ISecretStore>(nameof(ISecretStore.PutAsync))]
    [Covers<ISecretStore>(nameof(ISecretStore.GetAsync))]
    [Covers<ISecretStore>(nameof(ISecretStore.ListAsync))]
    [Covers<ISecretStore>(nameof(ISecretStore.DeleteAsync))]
    public async Task A_secret_is_created_then_replaced_keeping_its_creation_time_listed_and_deleted()
    {
        var other = new RegistryScope(OtherAccount, Region);
        Assert.True(await Store.Secrets.PutAsync(Registry, "ecr-pullthroughcache/hub", "sealed1:a", Now, None));
        Assert.False(await Store.Secrets.PutAsync(Registry, "ecr-pullthroughcache/hub", "sealed1:b", Now.AddHours(1), None));
        Assert.True(await Store.Secrets.PutAsync(other, "ecr-pullthroughcache/hub", "sealed1:c", Now, None));

        var reopened = await ReopenAsync();
        Assert.Equal(
            new StoredSecret(Registry, "ecr-pullthroughcache/hub", "sealed1:b", Now, Now.AddHours(1)),
            await reopened.Secrets.GetAsync(Registry, "ecr-pullthroughcache/hub", None));
        Assert.Null(await reopened.Secrets.GetAsync(Registry, "ecr-pullthroughcache/HUB", None));
        Assert.Equal(["sealed1:b"], (await reopened.Secrets.ListAsync(Registry, None)).Select(s => s.SealedValue));
        Assert.Equal([Account, OtherAccount], (await reopened.Secrets.ListAsync(null, None)).Select(s => s.Registry.AccountId));

        Assert.True(await reopened.Secrets.DeleteAsync(Registry, "ecr-pullthroughcache/hub", None));
        Assert.False(await reopened.Secrets.DeleteAsync(Registry, "ecr-pullthroughcache/hub", None));
        Assert.NotNull(await reopened.Secrets.GetAsync(other, "ecr-pullthroughcache/hub", None));
    }
}
