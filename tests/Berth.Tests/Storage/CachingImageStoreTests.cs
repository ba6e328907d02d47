using System.Diagnostics;
using System.Text;
using Berth.Domain;
using Berth.Domain.Images;
using Berth.Storage.Caching;
using Berth.Storage.Sqlite;
using Berth.Tests.Support;

namespace Berth.Tests.Storage;

/// <summary>
/// The read cache in front of an image store answers repeated manifest and tag-page reads from memory: writes the
/// change signal sees must show at once (over SQLite, this process's), others (a second database instance on the
/// same file, as another process) within the cache's maximum age.
/// </summary>
public sealed class CachingImageStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(300);
    private static readonly RepositoryKey Web = new("111111111111", "us-east-1", "web");
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempDirectory _directory = new();
    private readonly List<SqliteDatabase> _databases = [];
    private IMetadataStore _server = null!;
    private IMetadataStore _otherProcess = null!;

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
    public async Task Writes_through_other_parts_of_the_store_show_at_once()
    {
        await PutAsync(_server, "one", "latest");
        Assert.NotNull(await _server.Images.GetManifestAsync(Web, "latest", null, None));

        await _server.Repositories.DeleteAsync(Web, None);

        Assert.Null(await _server.Images.GetManifestAsync(Web, "latest", null, None));
        Assert.Null(await _server.Images.ListTagsAsync(Web, null, 10, None));
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
    public async Task Answers_come_from_memory_until_the_signal_moves()
    {
        // Over any image store: here the store changes underneath without the signal seeing it.
        var signal = new ManualSignal();
        var cached = new CachingImageStore(_otherProcess.Images, signal, TimeSpan.FromMinutes(1));
        var first = await PutAsync(_server, "one", "latest");
        Assert.Equal(first, (await cached.GetManifestAsync(Web, "latest", null, None))!.Digest);
        Assert.Equal(first, (await cached.GetManifestAsync(Web, null, first, None))!.Digest);
        Assert.Equal(["latest"], (await cached.ListTagsAsync(Web, null, 10, None))!.Items);

        var second = await PutAsync(_server, "two", "latest");
        await PutAsync(_server, "two", "v2");
        await _server.Images.DeleteImageAsync(Web, first, None);

        Assert.Equal(first, (await cached.GetManifestAsync(Web, "latest", null, None))!.Digest);
        Assert.NotNull(await cached.GetManifestAsync(Web, null, first, None));
        Assert.Equal(["latest"], (await cached.ListTagsAsync(Web, null, 10, None))!.Items);
        Assert.Equal(second, await cached.ResolveTagAsync(Web, "latest", None));

        signal.Generation++;

        Assert.Equal(second, (await cached.GetManifestAsync(Web, "latest", null, None))!.Digest);
        Assert.Null(await cached.GetManifestAsync(Web, null, first, None));
        Assert.Equal(["latest", "v2"], (await cached.ListTagsAsync(Web, null, 10, None))!.Items);
    }

    [Fact]
    public async Task A_cached_pull_read_allocates_nothing()
    {
        var digest = await PutAsync(_server, "one", "latest");
        var images = _server.Images;
        Assert.NotNull(await images.GetManifestAsync(Web, "latest", null, None));
        Assert.NotNull(await images.GetManifestAsync(Web, null, digest, None));
        Assert.NotNull(await images.ListTagsAsync(Web, null, 10, None));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(images.GetManifestAsync(Web, "latest", null, None).IsCompletedSuccessfully);
            Assert.True(images.GetManifestAsync(Web, null, digest, None).IsCompletedSuccessfully);
            Assert.True(images.ListTagsAsync(Web, null, 10, None).IsCompletedSuccessfully);
        }

        // A hit hands back the kept task itself, so repeated pulls make no garbage.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1000);
    }

    [Fact]
    public void Memory_stays_within_the_byte_budget_and_large_answers_are_not_kept()
    {
        var cache = new ReadCache<string, string>("test", new ManualSignal(), TimeSpan.FromMinutes(1), maxBytes: 1600, weigh: value => value.Length);
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

    [Fact]
    public void An_answer_read_before_the_signal_moved_is_not_served()
    {
        var signal = new ManualSignal();
        var cache = new ReadCache<string, string>("test", signal, TimeSpan.FromMinutes(1), maxBytes: 1600, weigh: value => value.Length);
        Assert.False(cache.TryGet("key", out _, out var stamp));

        // A write commits while the answer is read from the store.
        signal.Generation++;
        cache.Add("key", stamp, "stale");

        Assert.False(cache.TryGet("key", out _, out _));
    }

    private IMetadataStore Open(TimeSpan? maxAge)
    {
        var database = new SqliteDatabase(Path.Combine(_directory.Path, "berth.db"));
        _databases.Add(database);
        var store = new SqliteMetadataStore(database);
        return maxAge is { } age ? new CachingMetadataStore(store, database, age) : store;
    }

    private static async Task<Digest> PutAsync(IMetadataStore store, string text, string tag)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var image = new ImageRecord(Digest.Compute(bytes), "application/vnd.oci.image.manifest.v1+json", bytes.Length, 0, DateTimeOffset.UtcNow, null, null, null, null);
        var outcome = await store.Images.PutImageAsync(Web, image, bytes, [], tag, None);
        Assert.Contains(outcome.Status, (PutImageStatus[])[PutImageStatus.Created, PutImageStatus.Tagged, PutImageStatus.TagMoved]);
        return image.Digest;
    }

    private sealed class ManualSignal : IChangeSignal
    {
        public long Generation { get; set; }
    }
}
