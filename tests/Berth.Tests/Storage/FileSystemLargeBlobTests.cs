using System.Buffers;
using System.Security.Cryptography;
using Berth.Domain;
using Berth.Storage.FileSystem;

namespace Berth.Tests.Storage;

/// <summary>Tests that measure process-wide allocation, so they run while no other test does.</summary>
[CollectionDefinition(nameof(AllocationMeasuringCollection), DisableParallelization = true)]
public sealed class AllocationMeasuringCollection;

/// <summary>A blob much larger than any buffer streams through the filesystem store without being held in memory.</summary>
[Collection(nameof(AllocationMeasuringCollection))]
public sealed class FileSystemLargeBlobTests : IDisposable
{
    private const long Size = 64L * 1024 * 1024;
    private const long AllocationBudget = 8L * 1024 * 1024;

    private readonly string _root = Path.Join(Path.GetTempPath(), "berth-large-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Large_put_and_read_allocate_far_less_than_the_blob()
    {
        var digest = await HashAsync(new PatternStream(Size, seed: 42));
        using var store = new FileSystemBlobStore(_root, TimeProvider.System);
        await WarmUpAsync(store);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await store.PutAsync(new PatternStream(Size, seed: 42), digest, Size, CancellationToken.None);
        Digest readBack;
        await using (var stream = await store.OpenReadAsync(digest, 0, null, CancellationToken.None))
        {
            readBack = await HashAsync(stream!);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(new CommitResult(CommitStatus.Committed, Size, digest), result);
        Assert.Equal(digest, readBack);
        Assert.True(allocated < AllocationBudget, $"Streaming {Size} bytes allocated {allocated} bytes.");
    }

    [Fact]
    public async Task Large_chunked_upload_committed_after_a_restart_allocates_far_less_than_the_blob()
    {
        var digest = await HashAsync(new PatternStream(Size, seed: 43));
        using var first = new FileSystemBlobStore(_root, TimeProvider.System);
        await WarmUpAsync(first);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var uploadId = await first.BeginUploadAsync(CancellationToken.None);
        var source = new PatternStream(Size, seed: 43);
        const long chunk = Size / 4;
        for (long offset = 0; offset < Size; offset += chunk)
        {
            var appended = await first.AppendAsync(uploadId, offset, new BoundedStream(source, chunk), chunk, CancellationToken.None);
            Assert.Equal(AppendStatus.Appended, appended.Status);
        }

        // A new instance has no running hash, so the commit hashes the 64 MiB from disk.
        using var restarted = new FileSystemBlobStore(_root, TimeProvider.System);
        var result = await restarted.CommitAsync(uploadId, digest, Size, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(CommitStatus.Committed, result.Status);
        Assert.True(allocated < AllocationBudget, $"Uploading {Size} bytes allocated {allocated} bytes.");
    }

    // First use of the pooled buffers, the thread pool and the code paths allocates once per process, not per blob.
    private static async Task WarmUpAsync(FileSystemBlobStore store)
    {
        var digest = await HashAsync(new PatternStream(1024, seed: 1));
        await store.PutAsync(new PatternStream(1024, seed: 1), digest, 1024, CancellationToken.None);
        await using var stream = await store.OpenReadAsync(digest, 0, null, CancellationToken.None);
        await HashAsync(stream!);
        var uploadId = await store.BeginUploadAsync(CancellationToken.None);
        await store.AppendAsync(uploadId, 0, new PatternStream(1024, seed: 1), null, CancellationToken.None);
        await store.CommitAsync(uploadId, digest, 1024, CancellationToken.None);
    }

    private static async Task<Digest> HashAsync(Stream source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Digest.Sha256(hash.GetHashAndReset());
    }

    /// <summary>The next <c>length</c> bytes of a longer stream, as one request body of a chunked upload.</summary>
    private sealed class BoundedStream(Stream inner, long length) : TestReadStream
    {
        private long _remaining = length;

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            _remaining -= read;
            return read;
        }
    }
}
