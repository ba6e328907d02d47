using Berth.Domain;
using Berth.Domain.Collection;
using Berth.Domain.Uploads;
using Berth.Storage.FileSystem;
using Berth.Tests.Storage;
using Berth.Tests.Support;

namespace Berth.Tests.Domain.Blobs;

/// <summary>
/// OCI's monolithic PUT into a session that holds nothing yet: the body is the whole blob, so it goes the one-shot way
/// (the blob store's put, verified as it streams) rather than through the upload store, and the session ends.
/// </summary>
public sealed class WholeBodyPutTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly SqliteStores _stores = new();
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly RepositoryKey _repository = new("111111111111", "us-east-1", "whole/app");
    private IMetadataStore _store = null!;
    private FileSystemBlobStore _files = null!;
    private CountingBlobStore _blobs = null!;
    private UploadService _uploads = null!;

    public async Task InitializeAsync()
    {
        _store = _stores.Open();
        await _store.MigrateAsync(None);
        Assert.True(await _store.Repositories.CreateAsync(new Repository(_repository, _time.GetUtcNow(), TagMutability.Mutable, [], false, "AES256", null), [], None));
        _files = new FileSystemBlobStore(_directory.Path, _time);
        _blobs = new CountingBlobStore(_files);
        _uploads = new UploadService(_store, _blobs, _files, new BlobClaims(_store, _blobs, _time), _time);
    }

    public async Task DisposeAsync()
    {
        _files.Dispose();
        await _stores.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Body_into_an_empty_session_is_put_in_one_pass_linked_and_the_session_ends()
    {
        var content = "the whole blob"u8.ToArray();
        var digest = Digest.Compute(content);
        var session = await _uploads.StartAsync(_repository, None);

        var result = await _uploads.TryPutIntoEmptyAsync(_repository, session.Value.Id, digest, new MemoryStream(content), content.Length, None);

        Assert.NotNull(result);
        Assert.True(result.Value.IsSuccess);
        Assert.Equal(1, _blobs.Puts);
        Assert.Equal(content.Length, (await _store.Images.FindBlobAsync(_repository, digest, None))?.Size);
        Assert.Equal(ErrorCode.UploadNotFound, (await _uploads.GetAsync(_repository, session.Value.Id, None)).Error?.Code);
        Assert.Null(await _files.GetUploadLengthAsync(session.Value.Id, None));
    }

    [Fact]
    public async Task Session_that_holds_bytes_already_is_left_to_append_and_complete()
    {
        var session = await _uploads.StartAsync(_repository, None);
        await _uploads.AppendAsync(_repository, session.Value.Id, 0, new MemoryStream([1, 2, 3]), 3, None);

        var result = await _uploads.TryPutIntoEmptyAsync(_repository, session.Value.Id, Digest.Compute([1, 2, 3, 4]), new MemoryStream([4]), 1, None);

        Assert.Null(result);
        Assert.Equal(0, _blobs.Puts);
        Assert.Equal(3, (await _uploads.GetAsync(_repository, session.Value.Id, None)).Value.Length);
    }

    [Fact]
    public async Task Wrong_digest_stores_and_links_nothing_and_ends_the_session()
    {
        var content = "the whole blob"u8.ToArray();
        var claimed = Digest.Compute("something else"u8);
        var session = await _uploads.StartAsync(_repository, None);

        var result = await _uploads.TryPutIntoEmptyAsync(_repository, session.Value.Id, claimed, new MemoryStream(content), content.Length, None);

        Assert.Equal(ErrorCode.BlobDigestMismatch, result?.Error?.Code);
        Assert.Null(await _files.StatAsync(claimed, None));
        Assert.Null(await _files.StatAsync(Digest.Compute(content), None));
        Assert.Null(await _store.Images.FindBlobAsync(_repository, claimed, None));
        Assert.Equal(ErrorCode.UploadNotFound, (await _uploads.GetAsync(_repository, session.Value.Id, None)).Error?.Code);
    }

    [Fact]
    public async Task Body_shorter_than_declared_is_refused_and_the_session_stays_empty_for_a_retry()
    {
        var content = "the whole blob"u8.ToArray();
        var digest = Digest.Compute(content);
        var session = await _uploads.StartAsync(_repository, None);

        var result = await _uploads.TryPutIntoEmptyAsync(_repository, session.Value.Id, digest, new MemoryStream(content, 0, 5), content.Length, None);

        Assert.Equal(ErrorCode.SizeInvalid, result?.Error?.Code);
        Assert.Null(await _files.StatAsync(digest, None));
        Assert.Equal(0, (await _uploads.GetAsync(_repository, session.Value.Id, None)).Value.Length);
    }

    // Counts one-shot puts, the path the monolithic PUT must take.
    private sealed class CountingBlobStore(IBlobStore inner) : IBlobStore
    {
        public int Puts { get; private set; }

        public ValueTask<CommitResult> PutAsync(Stream source, Digest expected, long? expectedLength, CancellationToken cancellationToken)
        {
            Puts++;
            return inner.PutAsync(source, expected, expectedLength, cancellationToken);
        }

        public ValueTask<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken) => inner.DeleteAsync(digest, cancellationToken);

        public ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken) => inner.StatAsync(digest, cancellationToken);

        public ValueTask<Stream?> OpenReadAsync(Digest digest, long offset, long? length, CancellationToken cancellationToken) =>
            inner.OpenReadAsync(digest, offset, length, cancellationToken);

        public ValueTask<Uri?> TryGetReadUrlAsync(Digest digest, TimeSpan lifetime, CancellationToken cancellationToken) =>
            inner.TryGetReadUrlAsync(digest, lifetime, cancellationToken);

        public IAsyncEnumerable<BlobInfo> EnumerateAsync(CancellationToken cancellationToken) => inner.EnumerateAsync(cancellationToken);
    }
}
