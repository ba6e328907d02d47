using Berth.Domain;

namespace Berth.Tests.Storage;

/// <summary>A blob backend under test: its bytes port and its upload port, over the same backing storage.</summary>
public sealed record BlobBackend(IBlobStore Blobs, IBlobUploadStore Uploads);

/// <summary>
/// What the blob suites share: a backend over fresh backing storage for every test (xunit makes a new instance per test),
/// a clock that moves only when told, and helpers.
/// </summary>
public abstract class BlobSuiteBase : IDisposable
{
    protected const int MiB = 1024 * 1024;

    private readonly List<BlobBackend> _opened = [];
    private BlobBackend? _backend;

    protected BlobSuiteBase()
    {
        var now = DateTimeOffset.UtcNow;
        Time = new ManualTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero));
    }

    protected ManualTimeProvider Time { get; }

    /// <summary>The backend most tests use, opened on first use.</summary>
    protected BlobBackend Backend => _backend ??= Reopen();

    protected IBlobStore Store => Backend.Blobs;

    protected IBlobUploadStore Uploads => Backend.Uploads;

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>A new backend instance over this test's backing storage: a restart, or another node sharing the storage.</summary>
    protected BlobBackend Reopen()
    {
        var backend = OpenBackend(Time);
        _opened.Add(backend);
        return backend;
    }

    /// <summary>Opens a backend over this test's backing storage; every call returns a new instance over the same storage.</summary>
    protected abstract BlobBackend OpenBackend(TimeProvider time);

    public virtual void Dispose()
    {
        foreach (var backend in _opened)
        {
            (backend.Blobs as IDisposable)?.Dispose();
            if (!ReferenceEquals(backend.Uploads, backend.Blobs))
            {
                (backend.Uploads as IDisposable)?.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected async Task<Digest> PutAsync(byte[] content)
    {
        var digest = Digest.Compute(content);
        var result = await Store.PutAsync(new MemoryStream(content), digest, content.Length, None);
        Assert.Equal(CommitStatus.Committed, result.Status);
        return digest;
    }

    protected static async Task<byte[]> ReadAsync(IBlobStore store, Digest digest, long offset = 0, long? length = null)
    {
        await using var stream = await store.OpenReadAsync(digest, offset, length, None);
        Assert.NotNull(stream);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
