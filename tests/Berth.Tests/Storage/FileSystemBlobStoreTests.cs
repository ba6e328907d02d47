using Berth.Domain;
using Berth.Storage.FileSystem;

namespace Berth.Tests.Storage;

/// <summary>The shared bytes suite against the filesystem store, plus what only the filesystem can show: files, modes, leftovers.</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreSuite
{
    private readonly string _root = Path.Join(Path.GetTempPath(), "berth-blobs-" + Guid.NewGuid().ToString("N"));

    protected override BlobBackend OpenBackend(TimeProvider time)
    {
        var store = new FileSystemBlobStore(_root, time);
        return new BlobBackend(store, store);
    }

    public override void Dispose()
    {
        base.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Blob_is_a_read_only_file_at_its_content_address()
    {
        var content = Bytes(1234, seed: 1);
        var digest = await PutAsync(content);

        var hex = digest.Hex.ToString();
        var path = Path.Join(_root, "blobs", "sha256", hex[..2], hex);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
            var privateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.Equal(privateDirectory, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            Assert.Equal(privateDirectory, File.GetUnixFileMode(Path.Join(_root, "uploads")));
            Assert.Equal(privateDirectory, File.GetUnixFileMode(Path.Join(_root, "staging")));
        }
    }

    [Fact]
    public async Task Upload_is_a_file_named_by_its_id()
    {
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(Bytes(77, seed: 2)), null, None);

        var path = Path.Join(_root, "uploads", uploadId.ToString("D"));
        Assert.Equal(77, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task No_temporary_file_remains_after_a_put_or_a_commit()
    {
        await PutAsync(Bytes(5000, seed: 3));
        var content = Bytes(6000, seed: 4);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);
        await Uploads.CommitAsync(uploadId, Digest.Compute(content), null, None);

        Assert.Empty(FilesUnder("uploads"));
        Assert.Empty(FilesUnder("staging"));
        Assert.Equal(2, FilesUnder("blobs").Length);
    }

    [Fact]
    public async Task Digest_or_length_mismatch_leaves_no_file_anywhere()
    {
        var content = Bytes(5000, seed: 5);
        var wrong = Digest.Compute("wrong"u8);
        await Store.PutAsync(new MemoryStream(content), wrong, content.Length, None);
        await Store.PutAsync(new MemoryStream(content), Digest.Compute(content), 4999, None);
        var uploadId = await Uploads.BeginUploadAsync(None);
        await Uploads.AppendAsync(uploadId, 0, new MemoryStream(content), null, None);
        await Uploads.CommitAsync(uploadId, wrong, null, None);

        Assert.Empty(FilesUnder(""));
    }

    [Fact]
    public async Task Leftovers_of_a_crash_are_invisible_and_purged()
    {
        var content = Bytes(3000, seed: 6);
        var digest = Digest.Compute(content);
        _ = Store; // the store's directories exist from here on
        var longAgo = Time.GetUtcNow() - TimeSpan.FromDays(2);
        // A put that died after writing (even after fsync) but before its rename, a chunked upload nobody finished,
        // and a temporary file of unknown origin.
        WriteFile(Path.Join("staging", Guid.CreateVersion7().ToString("D")), content, longAgo);
        var abandoned = Guid.CreateVersion7();
        WriteFile(Path.Join("uploads", abandoned.ToString("D")), content[..1000], longAgo);
        WriteFile(Path.Join("uploads", ".partial-1234"), content[..10], longAgo);

        Assert.Null(await Store.StatAsync(digest, None));
        Assert.Null(await Store.OpenReadAsync(digest, 0, null, None));
        Assert.Empty(await ListAsync(Store.EnumerateAsync(None)));
        Assert.Equal([abandoned], (await ListAsync(Uploads.EnumerateUploadsAsync(None))).Select(u => u.UploadId));

        var removed = await Uploads.PurgeUploadsAsync(Time.GetUtcNow() - TimeSpan.FromDays(1), None);

        Assert.Equal(3, removed);
        Assert.Empty(FilesUnder(""));
    }

    [Fact]
    public async Task Purge_spares_a_put_that_is_still_streaming()
    {
        var gate = new TaskCompletionSource();
        var content = Bytes(1000, seed: 7);
        var digest = Digest.Compute([.. content, .. content]);
        var store = Store;
        var put = Task.Run(async () => await store.PutAsync(new StallingStream(content, gate.Task), digest, 2000, None));
        while (FilesUnder("staging").Length == 0)
        {
            await Task.Delay(5);
        }

        // The staged file's last write is real time; a cutoff in the future makes it look abandoned.
        var removed = await Uploads.PurgeUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromDays(1), None);
        gate.SetResult();
        var result = await put;

        Assert.Equal(0, removed);
        Assert.Equal(CommitStatus.Committed, result.Status);
    }

    [Fact]
    public async Task Purge_by_another_instance_spares_a_put_that_is_still_streaming()
    {
        var gate = new TaskCompletionSource();
        var content = Bytes(1000, seed: 7);
        var digest = Digest.Compute([.. content, .. content]);
        var store = Store;
        var put = Task.Run(async () => await store.PutAsync(new StallingStream(content, gate.Task), digest, 2000, None));
        while (FilesUnder("staging").Length == 0)
        {
            await Task.Delay(5);
        }

        var removed = await Reopen().Uploads.PurgeUploadsAsync(DateTimeOffset.UtcNow + TimeSpan.FromDays(1), None);
        gate.SetResult();
        var result = await put;

        Assert.Equal(0, removed);
        Assert.Equal(CommitStatus.Committed, result.Status);
    }

    [Fact]
    public async Task Concurrent_puts_of_the_same_blob_leave_one_file_and_no_temporary_file()
    {
        var content = Bytes(3 * 1024 * 1024, seed: 8);
        var digest = Digest.Compute(content);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => await Store.PutAsync(new MemoryStream(content), digest, content.Length, None))));

        Assert.All(results, r => Assert.Equal(CommitStatus.Committed, r.Status));
        Assert.Single(FilesUnder("blobs"));
        Assert.Empty(FilesUnder("staging"));
    }

    [Fact]
    public async Task Enumerate_ignores_files_a_commit_could_not_have_written()
    {
        var digest = await PutAsync(Bytes(10, seed: 10));
        var hex = digest.Hex.ToString();
        var otherHex = Digest.Compute("other"u8).Hex.ToString();
        var now = Time.GetUtcNow();
        WriteFile(Path.Join("blobs", "sha256", hex[..2], "not-a-digest"), [1], now);
        WriteFile(Path.Join("blobs", "sha256", hex[..2], hex.ToUpperInvariant()), [1], now);
        WriteFile(Path.Join("blobs", "sha256", hex[..2], hex[..63]), [1], now);
        WriteFile(Path.Join("blobs", "sha256", otherHex[..2] == "00" ? "01" : "00", otherHex), [1], now);
        WriteFile(Path.Join("blobs", "sha256", otherHex), [1], now);
        WriteFile(Path.Join("blobs", "sha512", hex[..2], hex), [1], now);

        var blobs = await ListAsync(Store.EnumerateAsync(None));

        Assert.Equal([digest], blobs.Select(b => b.Digest));
    }

    [Fact]
    public async Task Read_stream_seeks_within_its_range()
    {
        var content = Bytes(100, seed: 11);
        var digest = await PutAsync(content);
        await using var stream = await Store.OpenReadAsync(digest, 10, 20, None);
        Assert.NotNull(stream);

        stream.Seek(5, SeekOrigin.Begin);
        var buffer = new byte[100];
        var read = await stream.ReadAsync(buffer);

        Assert.Equal(15, read);
        Assert.Equal(content[15..30], buffer[..read]);
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task OpenRead_past_the_end_of_the_blob_is_a_caller_error()
    {
        var digest = await PutAsync(Bytes(10, seed: 12));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.OpenReadAsync(digest, 11, null, None));
    }

    [Fact]
    public async Task Filesystem_offers_no_read_url_so_blobs_are_served_through_the_registry()
    {
        var digest = await PutAsync(Bytes(10, seed: 13));

        Assert.Null(await Store.TryGetReadUrlAsync(digest, TimeSpan.FromMinutes(15), None));
    }

    [Fact]
    public async Task Default_digest_never_reaches_the_filesystem()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.StatAsync(default, None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.PutAsync(new MemoryStream(), default, 0, None));
    }

    private string[] FilesUnder(string relative) =>
        Directory.GetFiles(Path.Join(_root, relative), "*", SearchOption.AllDirectories);

    private void WriteFile(string relative, byte[] content, DateTimeOffset lastWrite)
    {
        var path = Path.Join(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, lastWrite.UtcDateTime);
    }

    /// <summary>Yields its bytes, then waits for a signal before yielding them again and ending.</summary>
    private sealed class StallingStream(byte[] content, Task resume) : Stream
    {
        private int _round;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            switch (_round++)
            {
                case 0:
                    content.CopyTo(buffer);
                    return content.Length;
                case 1:
                    await resume;
                    content.CopyTo(buffer);
                    return content.Length;
                default:
                    return 0;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
