using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>
/// The registry-key part of the metadata-store contract that every backend must pass: keys and the first access key are
/// created once, by whichever of several stores over one database gets there first.
/// </summary>
public abstract class RegistryKeyStoreSuite : MetadataSuite
{
    private IRegistryKeyStore Keys => Store.RegistryKeys;

    [Fact]
    [Covers<IRegistryKeyStore>(nameof(IRegistryKeyStore.AddIfAbsentAsync))]
    public async Task A_key_is_stored_once_and_later_values_get_the_stored_one_back()
    {
        Assert.Equal("sealed1:first", await Keys.AddIfAbsentAsync("registry-token", "sealed1:first", None));
        Assert.Equal("sealed1:first", await Keys.AddIfAbsentAsync("registry-token", "sealed1:second", None));
        Assert.Equal("sealed1:other", await Keys.AddIfAbsentAsync("other-key", "sealed1:other", None));

        var reopened = await ReopenAsync();
        Assert.Equal("sealed1:first", await reopened.RegistryKeys.AddIfAbsentAsync("registry-token", "sealed1:third", None));
    }

    [Fact]
    [Covers<IRegistryKeyStore>(nameof(IRegistryKeyStore.AddIfAbsentAsync))]
    public async Task Nodes_racing_to_create_a_key_all_end_up_with_the_same_one()
    {
        var other = await ReopenAsync();
        var attempts = Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).RegistryKeys.AddIfAbsentAsync("registry-token", $"value-{i}", None)));

        var stored = await Task.WhenAll(attempts);

        Assert.Single(stored.Distinct());
        Assert.StartsWith("value-", stored[0], StringComparison.Ordinal);
    }

    [Fact]
    [Covers<IRegistryKeyStore>(nameof(IRegistryKeyStore.AddFirstAccessKeyAsync))]
    public async Task The_first_access_key_is_stored_only_while_there_is_no_key_at_all()
    {
        var first = new AccessKey("AKIAFIRSTKEY00000001", "sealed1:secret", Account, Now);
        Assert.True(await Keys.AddFirstAccessKeyAsync(first, None));
        Assert.Equal(first, await Store.AccessKeys.FindAsync(first.AccessKeyId, None));

        Assert.False(await Keys.AddFirstAccessKeyAsync(first with { AccessKeyId = "AKIAFIRSTKEY00000002" }, None));
        Assert.Equal(1, await Store.AccessKeys.CountAsync(None));

        // Every key deleted: the store is empty again and takes a new first key.
        Assert.True(await Store.AccessKeys.DeleteAsync(first.AccessKeyId, None));
        Assert.True(await Keys.AddFirstAccessKeyAsync(first with { AccessKeyId = "AKIAFIRSTKEY00000003" }, None));
    }

    [Fact]
    [Covers<IRegistryKeyStore>(nameof(IRegistryKeyStore.AddFirstAccessKeyAsync))]
    public async Task A_store_holding_any_key_takes_no_first_key_and_a_user_key_is_no_first_key()
    {
        await Store.AccessKeys.AddAsync(new AccessKey("AKIAEXISTING00000001", "sealed1:secret", OtherAccount, Now), None);

        Assert.False(await Keys.AddFirstAccessKeyAsync(new AccessKey("AKIAFIRSTKEY00000001", "sealed1:secret", Account, Now), None));
        Assert.Null(await Store.AccessKeys.FindAsync("AKIAFIRSTKEY00000001", None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Keys.AddFirstAccessKeyAsync(new AccessKey("AKIAFIRSTKEY00000002", "s", Account, Now) { UserName = "alice" }, None));
    }

    [Fact]
    [Covers<IRegistryKeyStore>(nameof(IRegistryKeyStore.AddFirstAccessKeyAsync))]
    public async Task Of_nodes_racing_on_an_empty_store_exactly_one_stores_its_first_key()
    {
        var other = await ReopenAsync();
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).RegistryKeys.AddFirstAccessKeyAsync(
            new AccessKey($"AKIAFIRSTRACE{i:D7}", "sealed1:secret", Account, Now), None)));

        var won = await Task.WhenAll(attempts);

        Assert.Single(won, added => added);
        Assert.Equal(1, await Store.AccessKeys.CountAsync(None));
    }
}
