using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>The access-key part of the metadata-store contract that every backend must pass.</summary>
public abstract class AccessKeyStoreSuite : MetadataSuite
{
    [Fact]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.AddAsync))]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.FindAsync))]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.CountAsync))]
    public async Task Access_keys_are_stored_found_and_counted()
    {
        Assert.Equal(0, await Store.AccessKeys.CountAsync(None));
        var key = new AccessKey("AKIAEXAMPLE000000001", "secret/with+chars", "123456789012", Now);
        await Store.AccessKeys.AddAsync(key, None);

        Assert.Equal(key, await Store.AccessKeys.FindAsync(key.AccessKeyId, None));
        Assert.Null(await Store.AccessKeys.FindAsync("AKIAUNKNOWN", None));
        Assert.Equal(1, await Store.AccessKeys.CountAsync(None));
    }

    [Fact]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.AddAsync))]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.FindAsync))]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.CountAsync))]
    public async Task Keys_of_several_accounts_are_found_by_their_exact_id()
    {
        var mine = new AccessKey("AKIAEXAMPLE000000001", "first", Account, Now);
        var theirs = new AccessKey("AKIAEXAMPLE000000002", "second", OtherAccount, Now.AddDays(1));
        await Store.AccessKeys.AddAsync(mine, None);
        await Store.AccessKeys.AddAsync(theirs, None);

        Assert.Equal(mine, await Store.AccessKeys.FindAsync(mine.AccessKeyId, None));
        Assert.Equal(theirs, await Store.AccessKeys.FindAsync(theirs.AccessKeyId, None));
        Assert.Null(await Store.AccessKeys.FindAsync(mine.AccessKeyId.ToLowerInvariant(), None));
        Assert.Null(await Store.AccessKeys.FindAsync("AKIAEXAMPLE00000000", None));
        Assert.Equal(2, await Store.AccessKeys.CountAsync(None));
    }

    [Fact]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.AddAsync))]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.FindAsync))]
    public async Task A_key_of_a_user_needs_the_user_and_keeps_its_user_and_status()
    {
        var orphan = new AccessKey("AKIAEXAMPLEUSERKEY01", "s1", Account, Now) { UserName = "ci" };
        Assert.False(await Store.AccessKeys.AddAsync(orphan, None));
        Assert.Null(await Store.AccessKeys.FindAsync(orphan.AccessKeyId, None));

        Assert.True(await Store.Users.CreateAsync(User.Create(Account, "ci", Now), None));
        Assert.False(await Store.AccessKeys.AddAsync(orphan with { AccountId = OtherAccount }, None));
        var inactive = orphan with { Status = AccessKeyStatus.Inactive };
        Assert.True(await Store.AccessKeys.AddAsync(inactive, None));

        Assert.Equal(inactive, await (await ReopenAsync()).AccessKeys.FindAsync(orphan.AccessKeyId, None));
    }

    [Fact]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.ListAsync))]
    public async Task Keys_are_listed_by_account_then_id_and_filtered_by_account()
    {
        var b = new AccessKey("AKIAEXAMPLE00000000B", "b", Account, Now);
        var a = new AccessKey("AKIAEXAMPLE00000000A", "a", Account, Now);
        var other = new AccessKey("AKIAEXAMPLE000000000", "o", OtherAccount, Now);
        foreach (var key in new[] { b, other, a })
        {
            Assert.True(await Store.AccessKeys.AddAsync(key, None));
        }

        Assert.Equal([a, b, other], await Store.AccessKeys.ListAsync(null, None));
        Assert.Equal([a, b], await Store.AccessKeys.ListAsync(Account, None));
        Assert.Empty(await Store.AccessKeys.ListAsync("333333333333", None));
    }

    [Fact]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.SetStatusAsync))]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.DeleteAsync))]
    public async Task A_key_can_be_disabled_enabled_and_deleted()
    {
        var key = new AccessKey("AKIAEXAMPLE000000001", "s", Account, Now);
        await Store.AccessKeys.AddAsync(key, None);

        Assert.True(await Store.AccessKeys.SetStatusAsync(key.AccessKeyId, AccessKeyStatus.Inactive, None));
        Assert.Equal(AccessKeyStatus.Inactive, (await Store.AccessKeys.FindAsync(key.AccessKeyId, None))!.Status);
        Assert.True(await Store.AccessKeys.SetStatusAsync(key.AccessKeyId, AccessKeyStatus.Active, None));
        Assert.Equal(key, await Store.AccessKeys.FindAsync(key.AccessKeyId, None));
        Assert.False(await Store.AccessKeys.SetStatusAsync("AKIAUNKNOWN", AccessKeyStatus.Inactive, None));

        Assert.True(await Store.AccessKeys.DeleteAsync(key.AccessKeyId, None));
        Assert.False(await Store.AccessKeys.DeleteAsync(key.AccessKeyId, None));
        Assert.Null(await Store.AccessKeys.FindAsync(key.AccessKeyId, None));
        Assert.Equal(0, await Store.AccessKeys.CountAsync(None));
    }

    [Fact]
    [Covers<IAccessKeyStore>(nameof(IAccessKeyStore.ReplaceSecretAsync))]
    public async Task A_secret_is_replaced_only_while_it_is_the_expected_one()
    {
        var key = new AccessKey("AKIAEXAMPLE000000001", "plain", Account, Now);
        await Store.AccessKeys.AddAsync(key, None);

        Assert.False(await Store.AccessKeys.ReplaceSecretAsync(key.AccessKeyId, "other", "sealed-1", None));
        Assert.True(await Store.AccessKeys.ReplaceSecretAsync(key.AccessKeyId, "plain", "sealed-1", None));
        Assert.False(await Store.AccessKeys.ReplaceSecretAsync(key.AccessKeyId, "plain", "sealed-2", None));
        Assert.Equal("sealed-1", (await Store.AccessKeys.FindAsync(key.AccessKeyId, None))!.SecretAccessKey);
        Assert.False(await Store.AccessKeys.ReplaceSecretAsync("AKIAUNKNOWN", "plain", "x", None));
    }
}
