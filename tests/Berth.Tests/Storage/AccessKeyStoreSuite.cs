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
}
