using Berth.Domain;
using Berth.Domain.Collection;
using Berth.Domain.Uploads;
using Berth.Storage.FileSystem;
using Berth.Tests.Storage;
using Berth.Tests.Support;

namespace Berth.Tests.Collection;

/// <summary>
/// The collection protocol between pushes and the collector, driven step by step: a push claims its digest before
/// publishing, the collector marks, deletes the bytes, then removes the record, and whoever holds the collection lock
/// finishes marks a crashed collection left behind. Gates pause the collector at exact points, so no test depends on timing.
/// </summary>
public sealed class CollectionProtocolTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly SqliteStores _stores = new();
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly RepositoryKey _repository = new("111111111111", "us-east-1", "gc/app");
    private IMetadataStore _store = null!;
    private FileSystemBlobStore _files = null!;
    private GatedBlobStore _blobs = null!;
    private UploadService _uploads = null!;
    private GarbageCollector _collector = null!;

    public async Task InitializeAsync()
    {
        _store = _stores.Open();
        await _store.MigrateAsync(None);
        Assert.True(await _store.Repositories.CreateAsync(new Repository(_repository, _time.GetUtcNow(), TagMutability.Mutable, [], false, "AES256", null), [], None));
        _files = new FileSystemBlobStore(_directory.Path, _time);
        _blobs = new GatedBlobStore(_files);
        _uploads = new UploadService(_store, _blobs, _files, new BlobClaims(_store, _blobs, _time), _time);
        _collector = new GarbageCollector(_store, _blobs, _time);
    }

    public async Task DisposeAsync()
    {
        _files.Dispose();
        await _stores.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_push_arriving_while_the_collector_deletes_its_blob_waits_then_stores_it_again_and_keeps_it()
    {
        var content = Bytes(3000, seed: 1);
        var digest = await PushAsync(content);
        _time.Advance(2 * Grace);
        var gate = _blobs.HoldDelete(digest);

        var collecting = Task.Run(() => _collector.CollectAsync(Grace, None));
        await gate.Reached; // marked, its links gone, about to delete the bytes
        var pushing = Task.Run(() => _uploads.PutAsync(_repository, digest, new MemoryStream(content), content.Length, None));
        await Task.Delay(200);
        Assert.False(pushing.IsCompleted, "a push must wait while the blob is marked deleting");
        gate.Release();
        var report = await collecting;
        var pushed = await pushing;

        Assert.True(pushed.IsSuccess);
        Assert.Equal((1, 1), (report.BlobsForgotten, report.FilesDeleted));
        await AssertReadableAsync(digest, content);

        var next = await _collector.CollectAsync(Grace, None);
        Assert.Equal((0, 0), (next.BlobsForgotten, next.FilesDeleted));
        await AssertReadableAsync(digest, content);
    }

    [Fact]
    public async Task A_collection_in_progress_never_deletes_a_blob_an_upload_committed_after_its_claim()
    {
        // Two old, unreferenced blobs; the collector finds both, then is held on the first while the second is pushed again.
        var contents = new[] { Bytes(1000, seed: 2), Bytes(1000, seed: 3) }.OrderBy(c => Digest.Compute(c).ToString(), StringComparer.Ordinal).ToArray();
        var first = await PushAsync(contents[0]);
        var second = await PushAsync(contents[1]);
        _time.Advance(2 * Grace);
        var gate = _blobs.HoldDelete(first);

        var collecting = Task.Run(() => _collector.CollectAsync(Grace, None));
        await gate.Reached;
        var upload = (await _uploads.StartAsync(_repository, None)).Value!;
        Assert.True((await _uploads.AppendAsync(_repository, upload.Id, 0, new MemoryStream(contents[1]), contents[1].Length, None)).IsSuccess);
        Assert.True((await _uploads.CompleteAsync(_repository, upload.Id, second, None)).IsSuccess);
        gate.Release();
        var report = await collecting;

        Assert.Equal((1, 1), (report.BlobsForgotten, report.FilesDeleted));
        Assert.Null(await _files.StatAsync(first, None));
        await AssertReadableAsync(second, contents[1]);
    }

    [Fact]
    public async Task Marks_left_by_a_crashed_collection_are_finished_by_the_next_one()
    {
        var marked = Bytes(700, seed: 4);
        var markedDigest = await PushAsync(marked);
        var halfDone = await PushAsync(Bytes(800, seed: 5));
        _time.Advance(2 * Grace);
        var cutoff = _time.GetUtcNow() - Grace;
        // One collection died right after marking, the other after deleting the bytes but before removing the record.
        Assert.True(await _store.Collection.MarkBlobDeletingAsync(markedDigest, cutoff, _time.GetUtcNow(), None));
        Assert.True(await _store.Collection.MarkBlobDeletingAsync(halfDone, cutoff, _time.GetUtcNow(), None));
        Assert.True(await _files.DeleteAsync(halfDone, None));

        // With a long grace period nothing else is due, so all it does is finish what was left.
        var report = await _collector.CollectAsync(TimeSpan.FromDays(365), None);

        Assert.Equal((0, 1, 700L), (report.BlobsForgotten, report.FilesDeleted, report.BytesFreed));
        Assert.Null(await _files.StatAsync(markedDigest, None));
        Assert.False(await _store.Collection.BlobExistsAsync(markedDigest, None));
        Assert.False(await _store.Collection.BlobExistsAsync(halfDone, None));
        Assert.Empty(await _store.Collection.ListDeletingBlobsAsync(null, 10, None));
        await PushAsync(marked);
        await AssertReadableAsync(markedDigest, marked);
    }

    [Fact]
    public async Task A_push_finishes_a_mark_left_by_a_crashed_collection_when_no_collection_runs()
    {
        var content = Bytes(900, seed: 6);
        var digest = await PushAsync(content);
        _time.Advance(2 * Grace);
        Assert.True(await _store.Collection.MarkBlobDeletingAsync(digest, _time.GetUtcNow() - Grace, _time.GetUtcNow(), None));

        var pushed = await _uploads.PutAsync(_repository, digest, new MemoryStream(content), content.Length, None);

        Assert.True(pushed.IsSuccess);
        Assert.Empty(await _store.Collection.ListDeletingBlobsAsync(null, 10, None));
        await AssertReadableAsync(digest, content);
    }

    [Fact]
    public async Task A_collection_does_nothing_while_another_holds_the_lock()
    {
        var content = Bytes(600, seed: 7);
        var digest = await PushAsync(content);
        _time.Advance(2 * Grace);

        CollectionReport report;
        await using (var held = await _store.Collection.TryLockCollectionAsync(None))
        {
            Assert.NotNull(held);
            report = await _collector.CollectAsync(Grace, None);
        }

        Assert.True(report.WasSkipped);
        await AssertReadableAsync(digest, content);
        Assert.Equal(1, (await _collector.CollectAsync(Grace, None)).FilesDeleted);
    }

    [Fact]
    public async Task Bytes_no_record_names_go_at_once_since_every_push_claims_before_publishing()
    {
        var content = Bytes(500, seed: 8);
        var digest = Digest.Compute(content);
        Assert.True((await _files.PutAsync(new MemoryStream(content), digest, content.Length, None)).IsCommitted);

        var report = await _collector.CollectAsync(Grace, None);

        Assert.Equal((0, 1), (report.BlobsForgotten, report.FilesDeleted));
        Assert.Null(await _files.StatAsync(digest, None));
        Assert.False(await _store.Collection.BlobExistsAsync(digest, None));
    }

    [Fact]
    public async Task A_push_that_outlasts_the_grace_period_still_links_bytes_it_published_after_the_collection()
    {
        var content = Bytes(4000, seed: 9);
        var digest = Digest.Compute(content);
        var source = new HeldBackStream(content);

        var pushing = Task.Run(() => _uploads.PutAsync(_repository, digest, source, content.Length, None));
        await source.Started; // claimed, now streaming
        _time.Advance(2 * Grace);
        var report = await _collector.CollectAsync(Grace, None); // takes the claimed record; no bytes yet
        source.Resume();
        var pushed = await pushing;

        Assert.Equal(1, report.BlobsForgotten);
        Assert.True(pushed.IsSuccess);
        await AssertReadableAsync(digest, content);
        Assert.Equal(0, (await _collector.CollectAsync(Grace, None)).FilesDeleted);
    }

    [Fact]
    public async Task A_push_whose_published_bytes_the_collector_deleted_fails_and_links_nothing()
    {
        var content = Bytes(4000, seed: 10);
        var digest = Digest.Compute(content);
        var source = new HeldBackStream(content);
        var gate = _blobs.HoldDelete(digest);

        var pushing = Task.Run(() => _uploads.PutAsync(_repository, digest, source, content.Length, None));
        await source.Started;
        _time.Advance(2 * Grace);
        var collecting = Task.Run(() => _collector.CollectAsync(Grace, None));
        await gate.Reached; // marked; the push now publishes, and the collector deletes what it published
        source.Resume();
        await Task.Delay(200);
        gate.Release();
        await collecting;
        var pushed = await pushing;

        Assert.Equal(ErrorCode.UploadNotFound, pushed.Error?.Code);
        Assert.Null(await _store.Images.FindBlobAsync(_repository, digest, None));
        Assert.Null(await _files.StatAsync(digest, None));
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<Digest> PushAsync(byte[] content)
    {
        var digest = Digest.Compute(content);
        Assert.True((await _uploads.PutAsync(_repository, digest, new MemoryStream(content), content.Length, None)).IsSuccess);
        return digest;
    }

    private async Task AssertReadableAsync(Digest digest, byte[] content)
    {
        Assert.NotNull(await _store.Images.FindBlobAsync(_repository, digest, None));
        await using var stream = await _files.OpenReadAsync(digest, 0, null, None);
        Assert.NotNull(stream);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }

    /// <summary>A gate the collector reaches just before it deletes one blob's bytes, and waits at until released.</summary>
    private sealed class DeleteGate
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.SetResult();

        public Task ArriveAsync()
        {
            _reached.TrySetResult();
            return _released.Task;
        }
    }

    /// <summary>The filesystem store, with a gate in front of deleting one chosen blob.</summary>
    private sealed class GatedBlobStore(IBlobStore inner) : IBlobStore
    {
        private (Digest Digest, DeleteGate Gate)? _held;

        public DeleteGate HoldDelete(Digest digest)
        {
            var gate = new DeleteGate();
            _held = (digest, gate);
            return gate;
        }

        public async ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
        {
            if (_held is { } held && held.Digest == digest)
            {
                _held = null;
                await held.Gate.ArriveAsync();
            }

            return await inner.DeleteAsync(digest, cancellationToken);
        }

        public ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken) => inner.StatAsync(digest, cancellationToken);

        public ValueTask<Stream?> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken) =>
            inner.OpenReadAsync(digest, offset, length, cancellationToken);

        public ValueTask<Uri?> TryGetReadUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken) =>
            inner.TryGetReadUrlAsync(digest, lifetime, cancellationToken);

        public ValueTask<CommitResult> PutAsync(Stream source, Digest expected, long? expectedLength, CancellationToken cancellationToken) =>
            inner.PutAsync(source, expected, expectedLength, cancellationToken);

        public IAsyncEnumerable<BlobInfo> EnumerateAsync(CancellationToken cancellationToken) => inner.EnumerateAsync(cancellationToken);
    }

    /// <summary>Yields the first half of its bytes, then holds the rest back until resumed.</summary>
    private sealed class HeldBackStream(byte[] content) : TestReadStream
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public Task Started => _started.Task;

        public void Resume() => _resume.SetResult();

        public override int Read(Span<byte> buffer) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var half = content.Length / 2;
            if (_position >= half)
            {
                _started.TrySetResult();
                await _resume.Task.WaitAsync(cancellationToken);
            }

            var end = _position < half ? half : content.Length;
            var count = Math.Min(buffer.Length, end - _position);
            content.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }
    }
}
