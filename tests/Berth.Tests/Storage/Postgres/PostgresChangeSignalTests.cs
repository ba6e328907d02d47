using Berth.Domain;
using Berth.Tests.Support;

namespace Berth.Tests.Storage.Postgres;

/// <summary>
/// The read cache across nodes: a node answers pulls from memory for up to the cache's maximum age, but a change made
/// on another node reaches it through NOTIFY long before that.
/// </summary>
[RequiresEnvironment(TestPostgres.Variable, TestPostgres.SkipReason)]
public sealed class PostgresChangeSignalTests : MetadataSuite
{
    private static readonly TimeSpan CacheMaxAge = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private PostgresStores? _stores;

    protected override IMetadataStoreHarness CreateHarness() => _stores = new PostgresStores(CacheMaxAge);

    [Fact]
    public async Task A_tag_moved_on_one_node_is_seen_by_the_other_nodes_cache_within_the_bound()
    {
        var web = await CreateRepositoryAsync("web");
        var first = Image("first");
        var second = Image("second");
        await PutAsync(web, first, "latest");
        var other = await ReopenListeningAsync();
        // Fills the other node's cache; without a signal it would answer this for ten minutes.
        Assert.Equal(first.Image.Digest, (await other.Images.GetManifestAsync(web, "latest", null, None))!.Digest);

        await PutAsync(web, second, "latest");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Digest? seen;
        do
        {
            seen = (await other.Images.GetManifestAsync(web, "latest", null, None))!.Digest;
            if (seen != second.Image.Digest)
            {
                await Task.Delay(10);
            }
        }
        while (seen != second.Image.Digest && watch.Elapsed < Bound);

        Assert.Equal(second.Image.Digest, seen);
    }

    [Fact]
    public async Task Without_a_write_anywhere_the_cache_answers_from_memory()
    {
        var web = await CreateRepositoryAsync("web");
        var first = Image("first");
        await PutAsync(web, first, "latest");
        var other = await ReopenListeningAsync();
        Assert.NotNull(await other.Images.GetManifestAsync(web, "latest", null, None));

        // Deleting the row behind the store's back (no NOTIFY) shows whether the next read went to the database.
        await using var database = new Berth.Storage.Postgres.PostgresDatabase(HarnessConnectionString());
        await database.ReadAsync(connection =>
        {
            using var command = new Npgsql.NpgsqlCommand("DELETE FROM image_tags", connection);
            return command.ExecuteNonQuery();
        });

        Assert.Equal(first.Image.Digest, (await other.Images.GetManifestAsync(web, "latest", null, None))!.Digest);
    }

    private string HarnessConnectionString() => _stores!.ConnectionString!;

    /// <summary>The node opened last, once its listener hears notifications (until then its cache holds nothing).</summary>
    private async Task<IMetadataStore> ReopenListeningAsync()
    {
        var store = await ReopenAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!_stores!.LastDatabase.IsListening)
        {
            Assert.True(watch.Elapsed < Bound, "the change listener did not connect");
            await Task.Delay(10);
        }

        return store;
    }
}
