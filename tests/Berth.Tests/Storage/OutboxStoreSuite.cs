using Berth.Domain;
using Berth.Domain.Images;
using Berth.Domain.Outbox;
using Berth.Domain.Replication;

namespace Berth.Tests.Storage;

/// <summary>The outbox and replication parts of the metadata-store contract that every backend must pass.</summary>
public abstract class OutboxStoreSuite : MetadataSuite
{
    private static readonly OutboxMessage First = new("replication", "subject-a", """{"n":1}""");
    private static readonly OutboxMessage Second = new("event", "subject-b", """{"n":2}""");

    private IOutboxStore Outbox => Store.Outbox;

    [Fact]
    [Covers<IOutboxStore>(nameof(IOutboxStore.EnqueueAsync))]
    [Covers<IOutboxStore>(nameof(IOutboxStore.ClaimDueAsync))]
    [Covers<IOutboxStore>(nameof(IOutboxStore.ListAsync))]
    public async Task Enqueued_rows_survive_a_reopen_and_a_claim_hides_them_until_it_expires()
    {
        await Outbox.EnqueueAsync([First, Second], None);
        var reopened = await ReopenAsync();
        var now = DateTimeOffset.UtcNow.AddSeconds(1);

        var claimed = await reopened.Outbox.ClaimDueAsync(now, TimeSpan.FromMinutes(1), 10, None);

        Assert.Equal([First, Second], claimed.Select(entry => entry.Message));
        Assert.All(claimed, entry => Assert.Equal(1, entry.Attempts));
        Assert.Empty(await reopened.Outbox.ClaimDueAsync(now.AddSeconds(59), TimeSpan.FromMinutes(1), 10, None));
        var again = await reopened.Outbox.ClaimDueAsync(now.AddMinutes(2), TimeSpan.FromMinutes(1), 1, None);
        Assert.Equal(First, Assert.Single(again).Message);
        Assert.Equal(2, again[0].Attempts);
        Assert.Equal(First, Assert.Single(await reopened.Outbox.ListAsync("replication", "subject-a", None)).Message);
        Assert.Empty(await reopened.Outbox.ListAsync("event", "subject-a", None));
    }

    [Fact]
    [Covers<IOutboxStore>(nameof(IOutboxStore.RetryAsync))]
    [Covers<IOutboxStore>(nameof(IOutboxStore.NextDueAsync))]
    [Covers<IOutboxStore>(nameof(IOutboxStore.CompleteAsync))]
    public async Task A_retried_row_is_due_again_at_its_time_with_its_error_and_a_completed_one_is_gone()
    {
        Assert.Null(await Outbox.NextDueAsync(None));
        await Outbox.EnqueueAsync([First], None);
        var now = DateTimeOffset.UtcNow.AddSeconds(1);
        var entry = Assert.Single(await Outbox.ClaimDueAsync(now, TimeSpan.FromMinutes(5), 10, None));

        await Outbox.RetryAsync(entry.Id, now.AddSeconds(30), "remote down", None);

        Assert.Equal(now.AddSeconds(30).ToUnixTimeMilliseconds(), (await Outbox.NextDueAsync(None))!.Value.ToUnixTimeMilliseconds());
        Assert.Empty(await Outbox.ClaimDueAsync(now.AddSeconds(29), TimeSpan.FromMinutes(5), 10, None));
        var retried = Assert.Single(await Outbox.ClaimDueAsync(now.AddSeconds(30), TimeSpan.FromMinutes(5), 10, None));
        Assert.Equal("remote down", retried.LastError);
        Assert.Equal(2, retried.Attempts);

        Assert.True(await Outbox.CompleteAsync(entry.Id, None));
        Assert.False(await Outbox.CompleteAsync(entry.Id, None));
        Assert.Null(await Outbox.NextDueAsync(None));
    }

    [Fact]
    [Covers<IImageStore>(nameof(IImageStore.PutImageAsync))]
    public async Task A_put_writes_its_outbox_rows_only_when_it_stores_the_image()
    {
        var web = await CreateRepositoryAsync("web", TagMutability.Immutable);
        var one = Image("one");
        var two = Image("two");

        var stored = await Images.PutImageAsync(web, one.Image, one.Bytes, [], "v1", [First], None);
        var refused = await Images.PutImageAsync(web, two.Image, two.Bytes, [], "v1", [Second], None);
        var missing = await Images.PutImageAsync(Key("absent"), two.Image, two.Bytes, [], null, [Second], None);

        Assert.Equal(PutImageStatus.Created, stored.Status);
        Assert.Equal(PutImageStatus.ImmutableTag, refused.Status);
        Assert.Equal(PutImageStatus.RepositoryNotFound, missing.Status);
        var claimed = await Outbox.ClaimDueAsync(DateTimeOffset.UtcNow.AddSeconds(1), TimeSpan.FromMinutes(1), 10, None);
        Assert.Equal(First, Assert.Single(claimed).Message);
    }

    [Fact]
    [Covers<IReplicationStore>(nameof(IReplicationStore.GetConfigurationAsync))]
    [Covers<IReplicationStore>(nameof(IReplicationStore.PutConfigurationAsync))]
    public async Task A_configuration_is_per_registry_and_replaced_whole()
    {
        var registry = new RegistryScope(Account, Region);
        Assert.Null(await Store.Replication.GetConfigurationAsync(registry, None));

        await Store.Replication.PutConfigurationAsync(registry, "first", None);
        await Store.Replication.PutConfigurationAsync(registry, "second", None);

        var reopened = await ReopenAsync();
        Assert.Equal("second", await reopened.Replication.GetConfigurationAsync(registry, None));
        Assert.Null(await reopened.Replication.GetConfigurationAsync(new RegistryScope(OtherAccount, Region), None));
        Assert.Null(await reopened.Replication.GetConfigurationAsync(new RegistryScope(Account, "eu-west-1"), None));
    }

    [Fact]
    [Covers<IReplicationStore>(nameof(IReplicationStore.SetStatusAsync))]
    [Covers<IReplicationStore>(nameof(IReplicationStore.ListStatusesAsync))]
    public async Task Statuses_are_per_image_and_destination_and_the_last_one_wins()
    {
        var web = Key("web");
        var digest = Image("one").Image.Digest;
        var west = new ReplicationDestination("us-west-2", Account);
        var other = new ReplicationDestination("eu-west-1", OtherAccount);

        await Store.Replication.SetStatusAsync(web, digest, new ReplicationStatus(west, ReplicationState.Failed, "down"), Now, None);
        await Store.Replication.SetStatusAsync(web, digest, new ReplicationStatus(west, ReplicationState.Complete, null), Now, None);
        await Store.Replication.SetStatusAsync(web, digest, new ReplicationStatus(other, ReplicationState.Failed, "not allowed"), Now, None);

        var statuses = await Store.Replication.ListStatusesAsync(web, digest, None);
        Assert.Equal(
            [new ReplicationStatus(other, ReplicationState.Failed, "not allowed"), new ReplicationStatus(west, ReplicationState.Complete, null)],
            statuses);
        Assert.Empty(await Store.Replication.ListStatusesAsync(Key("api"), digest, None));
        Assert.Empty(await Store.Replication.ListStatusesAsync(web, Image("two").Image.Digest, None));
    }
}

/// <summary>Runs the shared outbox suite against SQLite.</summary>
public sealed class SqliteOutboxStoreTests : OutboxStoreSuite
{
    protected override IMetadataStoreHarness CreateHarness() => new SqliteStores();
}
