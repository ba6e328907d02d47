using System.Diagnostics;
using System.Text;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Storage.Sqlite;
using Berth.Tests.Support;

namespace Berth.Tests.Storage;

/// <summary>
/// The SQLite store answers repeated manifest and tag-page reads from memory: this process's writes must show at
/// once, another process's (a second database instance on the same file) within the cache's maximum age.
/// </summary>
public sealed class SqliteReadCacheTests : IAsyncLifetime
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(300);
    private static readonly RepositoryKey Web = new("111111111111", "us-east-1", "web");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempDirectory _directory = new();
    private readonly List<SqliteDatabase> _databases = [];
    private SqliteMetadataStore _server = null!;
    private SqliteMetadataStore _otherProcess = null!;

    public async Task InitializeAsync()
    {
        _server = Open(MaxAge);
        _otherProcess = Open(null);
        await _server.MigrateAsync(None);
        var now = DateTimeOffset.UtcNow;
        Assert.True(await _server.Repositories.CreateAsync(new Repository(Web, now, TagMutability.Mutable, [], false, "AES256", null), [], None));
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Writes_of_this_process_show_at_once()
    {
        var first = await PutAsync(_server, "one", "latest");
        Assert.Equal(first, (await _server.Images.GetManifestAsync(Web, "latest", null, None))!.Digest);
        Assert.Equal(["latest"], (await _server.Images.ListTagsAsync(Web, null, 10, None))!.Items);

        var second = await PutAsync(_server, "two", "latest");
        await PutAsync(_server, "two", "v2");

        Assert.Equal(second, (await _server.Images.GetManifestAsync(Web, "latest", null, None))!.Digest);
        Assert.Equal(["latest", "v2"], (await _server.Images.ListTagsAsync(Web, null, 10, None))!.Items);
        Assert.Equal(DeleteImageStatus.Deleted, await _server.Images.DeleteImageAsync(Web, second, None));
        Assert.Null(await _server.Images.GetManifestAsync(Web, null, second, None));
        Assert.Null(await _server.Images.GetManifestAsync(Web, "latest", null, None));
        Assert.Empty((await _server.Images.ListTagsAsync(Web, null, 10, None))!.Items);
    }

    [Fact]
    public async Task Writes_of_another_process_show_within_the_maximum_age()
    {
        var digest = await PutAsync(_server, "one", "latest");
        Assert.NotNull(await _server.Images.GetManifestAsync(Web, "latest", null, None));
        Assert.Equal(["latest"], (await _server.Images.ListTagsAsync(Web, null, 10, None))!.Items);

        var deletedAt = Stopwatch.StartNew();
        Assert.Equal(DeleteImageStatus.Deleted, await _otherProcess.Images.DeleteImageAsync(Web, digest, None));

        while (await _server.Images.GetManifestAsync(Web, "latest", null, None) is not null)
        {
            Assert.True(deletedAt.Elapsed < MaxAge * 3, "the other process's delete did not show within the cache's maximum age");
            await Task.Delay(20);
        }

        await Task.Delay(MaxAge);
        Assert.Empty((await _server.Images.ListTagsAsync(Web, null, 10, None))!.Items);
    }

    [Fact]
    public async Task A_zero_maximum_age_turns_the_cache_off()
    {
        var uncached = Open(TimeSpan.Zero);
        var digest = await PutAsync(_server, "one", "latest");
        Assert.NotNull(await uncached.Images.GetManifestAsync(Web, "latest", null, None));

        Assert.Equal(DeleteImageStatus.Deleted, await _otherProcess.Images.DeleteImageAsync(Web, digest, None));

        Assert.Null(await uncached.Images.GetManifestAsync(Web, "latest", null, None));
    }

    [Fact]
    public void Memory_stays_within_the_byte_budget_and_large_answers_are_not_kept()
    {
        var database = _databases[0];
        var cache = new ReadCache<string, string>(database, TimeSpan.FromMinutes(1), maxBytes: 1600, weigh: value => value.Length);
        var reads = 0;
        string Read(string key, int size)
        {
            reads++;
            return new string('x', size);
        }

        cache.Get("small", 50, (key, size) => Read(key, size));
        cache.Get("small", 50, (key, size) => Read(key, size));
        Assert.Equal(1, reads);

        // Over a sixteenth of the budget: read every time, never kept.
        cache.Get("large", 200, (key, size) => Read(key, size));
        cache.Get("large", 200, (key, size) => Read(key, size));
        Assert.Equal(3, reads);

        for (var i = 0; i < 100; i++)
        {
            cache.Get("key" + i, 50, (key, size) => Read(key, size));
            Assert.InRange(cache.Bytes, 0, 1600);
            Assert.InRange(cache.Count, 1, 32);
        }
    }

    private SqliteMetadataStore Open(TimeSpan? maxAge)
    {
        var database = new SqliteDatabase(Path.Combine(_directory.Path, "berth.db"));
        _databases.Add(database);
        return new SqliteMetadataStore(database, maxAge);
    }

    private static async Task<Digest> PutAsync(SqliteMetadataStore store, string text, string tag)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var image = new ImageRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, 0, DateTimeOffset.UtcNow, null, null, null, null);
        var outcome = await store.Images.PutImageAsync(Web, image, bytes, [], tag, None);
        Assert.Contains(outcome.Status, (PutImageStatus[])[PutImageStatus.Created, PutImageStatus.Tagged, PutImageStatus.TagMoved]);
        return image.Digest;
    }
}
