using Berth.Background;
using Berth.Domain;
using Berth.Domain.Collection;
using Berth.Domain.Uploads;
using Berth.Hosting;
using Berth.Storage.FileSystem;
using Berth.Tests.Storage;
using Berth.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Tests.Domain.Uploads;

/// <summary>
/// The upload purge job against a PATCH that has been streaming for longer than the upload max age: the session's
/// activity time moves while bytes arrive, so the purge leaves it alone and the upload completes.
/// </summary>
public sealed class StreamingUploadPurgeTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly SqliteStores _stores = new();
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly RepositoryKey _repository = new("111111111111", "us-east-1", "purge/app");
    private IMetadataStore _store = null!;
    private FileSystemBlobStore _files = null!;
    private UploadService _uploads = null!;
    private UploadPurgeJob _purge = null!;

    public async Task InitializeAsync()
    {
        _store = _stores.Open();
        await _store.MigrateAsync(None);
        Assert.True(await _store.Repositories.CreateAsync(new Repository(_repository, _time.GetUtcNow(), TagMutability.Mutable, [], false, "AES256", null), [], None));
        _files = new FileSystemBlobStore(_directory.Path, _time);
        _uploads = new UploadService(_store, _files, _files, new BlobClaims(_store, _files, _time), _time);
        _purge = new UploadPurgeJob(_store, _files, new BerthOptions { UploadMaxAge = TimeSpan.FromHours(1) }, _time, NullLogger<UploadPurgeJob>.Instance);
    }

    public async Task DisposeAsync()
    {
        _files.Dispose();
        await _stores.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_patch_streaming_longer_than_the_max_age_is_not_purged()
    {
        var content = new byte[3 * MiB];
        new Random(7).NextBytes(content);
        var session = (await _uploads.StartAsync(_repository, None)).Value;
        using var body = new PacedStream(content, MiB);
        var appending = Task.Run(() => _uploads.AppendAsync(_repository, session.Id, null, body, null, None));
        await body.WaitForReadAsync();
        body.Allow();
        await body.WaitForReadAsync();

        // Two hours into the request more bytes arrive; once they are taken, the purge runs with a one-hour max age.
        _time.Advance(TimeSpan.FromHours(2));
        body.Allow();
        await body.WaitForReadAsync();
        var purging = Task.Run(() => _purge.PurgeAsync(None));
        await Task.WhenAny(purging, Task.Delay(500));
        body.Allow(10);
        var appended = await appending;
        var removed = await purging;

        Assert.Equal(0, removed);
        Assert.Equal(3L * MiB, appended.Value);
        var completed = await _uploads.CompleteAsync(_repository, session.Id, Digest.Compute(content), None);
        Assert.True(completed.IsSuccess, completed.Error?.Message);
    }
}
