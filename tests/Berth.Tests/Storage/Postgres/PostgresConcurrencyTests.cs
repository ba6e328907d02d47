using Berth.Domain;
using Berth.Domain.Images;
using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>
/// Two nodes (two store instances, each with its own connection pool) writing the same rows at once: the end state
/// must be one that the two writes, run one after the other in some order, would have produced.
/// </summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresConcurrencyTests : MetadataSuite
{
    private const int Rounds = 15;

    protected override IMetadataStoreHarness CreateHarness() => new PostgresStores();

    [Fact]
    public async Task Two_nodes_moving_one_tag_end_with_the_tag_on_one_image_and_counts_that_agree()
    {
        var web = await CreateRepositoryAsync("web");
        var other = await ReopenAsync();
        var previous = (Digest?)null;
        for (var round = 0; round < Rounds; round++)
        {
            var a = Image($"a{round}");
            var b = Image($"b{round}");

            var outcomes = await Task.WhenAll(
                Task.Run(() => Images.PutImageAsync(web, a.Image, a.Bytes, [], "latest", None)),
                Task.Run(() => other.Images.PutImageAsync(web, b.Image, b.Bytes, [], "latest", None)));

            var target = await Images.ResolveTagAsync(web, "latest", None);
            var (winner, loser, winnerOutcome, loserOutcome) = target == a.Image.Digest
                ? (a.Image.Digest, b.Image.Digest, outcomes[0], outcomes[1])
                : (b.Image.Digest, a.Image.Digest, outcomes[1], outcomes[0]);
            Assert.Equal(winner, target);
            // Serially: the loser's put took the tag from the last round's winner, then the winner's took it from the loser.
            Assert.Equal(loser, winnerOutcome.PreviousDigest);
            Assert.Equal(previous, loserOutcome.PreviousDigest);
            Assert.Equal(["latest"], (await Images.GetImageAsync(web, winner, None))!.Tags);
            Assert.Empty((await Images.GetImageAsync(web, loser, None))!.Tags);
            // The untagged listing reads the stored tag counts: a lost update would list the loser as tagged, or the winner as untagged.
            var untagged = await Images.ListImageIdsAsync(web, TagStatusFilter.Untagged, ImageStatusFilter.Any, null, 1000, None);
            Assert.Contains(untagged!.Items, entry => entry.Digest == loser);
            Assert.DoesNotContain(untagged.Items, entry => entry.Digest == winner);
            previous = winner;
        }

        var tagged = await Images.ListImageIdsAsync(web, TagStatusFilter.Tagged, ImageStatusFilter.Any, null, 1000, None);
        Assert.Equal([new ImageListEntry(previous!.Value, "latest")], tagged!.Items);
    }

    [Fact]
    public async Task Deleting_and_pushing_one_image_on_two_nodes_ends_as_one_order_of_the_two()
    {
        var web = await CreateRepositoryAsync("web");
        var other = await ReopenAsync();
        var seen = new HashSet<PutImageStatus>();
        for (var round = 0; round < Rounds; round++)
        {
            var image = Image($"contested {round}");
            await PutAsync(web, image, $"old{round}");

            var deleting = Task.Run(() => Images.DeleteImageAsync(web, image.Image.Digest, None));
            var pushing = Task.Run(() => other.Images.PutImageAsync(web, image.Image, image.Bytes, [], $"new{round}", None));
            await Task.WhenAll(deleting, pushing);
            var (deleted, pushed) = (await deleting, await pushing);

            // Either order deletes the image once; the push that ran second recreated it, the one that ran first only tagged it.
            Assert.Equal(DeleteImageStatus.Deleted, deleted);
            seen.Add(pushed.Status);
            var stored = await Images.GetImageAsync(web, image.Image.Digest, None);
            switch (pushed.Status)
            {
                case PutImageStatus.Created:
                    Assert.NotNull(stored);
                    Assert.Equal([$"new{round}"], stored.Tags);
                    Assert.Null(await Images.ResolveTagAsync(web, $"old{round}", None));
                    break;
                case PutImageStatus.Tagged:
                    Assert.Null(stored);
                    Assert.Null(await Images.ResolveTagAsync(web, $"new{round}", None));
                    Assert.Null(await Images.ResolveTagAsync(web, $"old{round}", None));
                    break;
                default:
                    Assert.Fail($"push answered {pushed.Status}, which no order of the two writes gives");
                    break;
            }
        }

        var listed = await Images.ListImageIdsAsync(web, TagStatusFilter.Any, ImageStatusFilter.Any, null, 1000, None);
        Assert.Equal(await Images.CountImagesAsync(web, None), listed!.Items.Select(entry => entry.Digest).Distinct().Count());
        Assert.NotEmpty(seen);
    }

    [Fact]
    public async Task Two_nodes_migrating_one_empty_database_at_once_apply_each_migration_once()
    {
        await using var harness = new PostgresStores(neverMigrated: true);
        // Opened one by one (opening creates the database); then migrated all at once.
        var nodes = new[] { await harness.OpenAsync(), await harness.OpenAsync(), await harness.OpenAsync() };

        await Task.WhenAll(nodes.Select(node => Task.Run(() => node.MigrateAsync(None))));

        Assert.True(await nodes[1].Repositories.CreateAsync(Repo("after-migration"), [], None));
        Assert.NotNull(await nodes[2].Repositories.GetAsync(Key("after-migration"), None));
    }

    [Fact]
    public async Task The_collection_lock_is_held_by_one_node_at_a_time_and_passes_on_when_released()
    {
        var other = await ReopenAsync();

        var held = await Store.Collection.TryLockCollectionAsync(None);
        Assert.NotNull(held);
        Assert.Null(await other.Collection.TryLockCollectionAsync(None));

        await held.DisposeAsync();
        var taken = await other.Collection.TryLockCollectionAsync(None);
        Assert.NotNull(taken);
        await taken.DisposeAsync();
    }
}
