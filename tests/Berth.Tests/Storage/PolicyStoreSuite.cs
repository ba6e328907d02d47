using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>The policy and account-setting part of the metadata-store contract that every backend must pass.</summary>
public abstract class PolicyStoreSuite : MetadataSuite
{
    // Odd spacing, a non-ASCII character and a trailing newline: the text must come back byte for byte.
    private const string Text = "{ \"Version\" : \"2012-10-17\",\n\t\"Statement\":[{\"Sid\":\"é\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}] }\n";
    private const string Other = """{"Version":"2008-10-17","Statement":[]}""";

    private static readonly RegistryScope Registry = new(Account, Region);

    private IPolicyStore Policies => Store.Policies;

    [Fact]
    [Covers<IPolicyStore>(nameof(IPolicyStore.SetRepositoryPolicyAsync))]
    [Covers<IPolicyStore>(nameof(IPolicyStore.GetRepositoryPolicyAsync))]
    public async Task A_repository_policy_is_stored_verbatim_replaced_and_kept_per_repository()
    {
        var app = await CreateRepositoryAsync("app");
        var web = await CreateRepositoryAsync("web");
        var theirs = await CreateRepositoryAsync("app", account: OtherAccount);

        Assert.True(await Policies.SetRepositoryPolicyAsync(app, Text, None));
        Assert.Equal(Text, await (await ReopenAsync()).Policies.GetRepositoryPolicyAsync(app, None));
        Assert.Null(await Policies.GetRepositoryPolicyAsync(web, None));
        Assert.Null(await Policies.GetRepositoryPolicyAsync(theirs, None));

        Assert.True(await Policies.SetRepositoryPolicyAsync(app, Other, None));
        Assert.Equal(Other, await Policies.GetRepositoryPolicyAsync(app, None));
    }

    [Fact]
    [Covers<IPolicyStore>(nameof(IPolicyStore.SetRepositoryPolicyAsync))]
    [Covers<IPolicyStore>(nameof(IPolicyStore.GetRepositoryPolicyAsync))]
    [Covers<IPolicyStore>(nameof(IPolicyStore.DeleteRepositoryPolicyAsync))]
    public async Task A_missing_repository_has_no_policy_and_takes_none()
    {
        var ghost = Key("ghost");

        Assert.False(await Policies.SetRepositoryPolicyAsync(ghost, Text, None));
        Assert.Null(await Policies.GetRepositoryPolicyAsync(ghost, None));
        Assert.Null(await Policies.DeleteRepositoryPolicyAsync(ghost, None));
    }

    [Fact]
    [Covers<IPolicyStore>(nameof(IPolicyStore.DeleteRepositoryPolicyAsync))]
    public async Task Deleting_a_repository_policy_returns_its_text_once()
    {
        var app = await CreateRepositoryAsync("app");
        await Policies.SetRepositoryPolicyAsync(app, Text, None);

        Assert.Equal(Text, await Policies.DeleteRepositoryPolicyAsync(app, None));
        Assert.Null(await Policies.DeleteRepositoryPolicyAsync(app, None));
        Assert.Null(await Policies.GetRepositoryPolicyAsync(app, None));
    }

    [Fact]
    [Covers<IPolicyStore>(nameof(IPolicyStore.SetRepositoryPolicyAsync))]
    [Covers<IRepositoryStore>(nameof(IRepositoryStore.DeleteAsync))]
    public async Task Deleting_a_repository_deletes_its_policy_so_a_new_one_of_that_name_has_none()
    {
        var app = await CreateRepositoryAsync("app");
        await Policies.SetRepositoryPolicyAsync(app, Text, None);

        Assert.NotNull(await Store.Repositories.DeleteAsync(app, None));
        await CreateRepositoryAsync("app");

        Assert.Null(await Policies.GetRepositoryPolicyAsync(app, None));
    }

    [Fact]
    [Covers<IPolicyStore>(nameof(IPolicyStore.PutRegistryPolicyAsync))]
    [Covers<IPolicyStore>(nameof(IPolicyStore.GetRegistryPolicyAsync))]
    [Covers<IPolicyStore>(nameof(IPolicyStore.DeleteRegistryPolicyAsync))]
    public async Task A_registry_policy_is_stored_verbatim_per_account_and_region()
    {
        var otherRegion = new RegistryScope(Account, "eu-west-1");
        var otherAccount = new RegistryScope(OtherAccount, Region);

        Assert.Null(await Policies.GetRegistryPolicyAsync(Registry, None));
        await Policies.PutRegistryPolicyAsync(Registry, Other, None);
        await Policies.PutRegistryPolicyAsync(Registry, Text, None);

        Assert.Equal(Text, await (await ReopenAsync()).Policies.GetRegistryPolicyAsync(Registry, None));
        Assert.Null(await Policies.GetRegistryPolicyAsync(otherRegion, None));
        Assert.Null(await Policies.GetRegistryPolicyAsync(otherAccount, None));

        Assert.Null(await Policies.DeleteRegistryPolicyAsync(otherAccount, None));
        Assert.Equal(Text, await Policies.DeleteRegistryPolicyAsync(Registry, None));
        Assert.Null(await Policies.DeleteRegistryPolicyAsync(Registry, None));
        Assert.Null(await Policies.GetRegistryPolicyAsync(Registry, None));
    }

    [Fact]
    [Covers<IPolicyStore>(nameof(IPolicyStore.PutAccountSettingAsync))]
    [Covers<IPolicyStore>(nameof(IPolicyStore.GetAccountSettingAsync))]
    public async Task Account_settings_are_kept_per_registry_and_name_and_replaced()
    {
        Assert.Null(await Policies.GetAccountSettingAsync(Registry, "BLOB_MOUNTING", None));

        await Policies.PutAccountSettingAsync(Registry, "BLOB_MOUNTING", "DISABLED", None);
        await Policies.PutAccountSettingAsync(Registry, "REGISTRY_POLICY_SCOPE", "V1", None);
        await Policies.PutAccountSettingAsync(Registry, "REGISTRY_POLICY_SCOPE", "V2", None);

        var reopened = await ReopenAsync();
        Assert.Equal("DISABLED", await reopened.Policies.GetAccountSettingAsync(Registry, "BLOB_MOUNTING", None));
        Assert.Equal("V2", await reopened.Policies.GetAccountSettingAsync(Registry, "REGISTRY_POLICY_SCOPE", None));
        Assert.Null(await reopened.Policies.GetAccountSettingAsync(Registry, "blob_mounting", None));
        Assert.Null(await reopened.Policies.GetAccountSettingAsync(new RegistryScope(OtherAccount, Region), "BLOB_MOUNTING", None));
        Assert.Null(await reopened.Policies.GetAccountSettingAsync(new RegistryScope(Account, "eu-west-1"), "BLOB_MOUNTING", None));
    }
}
