using Berth.Domain;
using Berth.Storage.FileSystem;

namespace Berth.Tests.Storage;

/// <summary>
/// Which transfers the filesystem store writes with direct I/O: those that start while others are writing (when the
/// CPU, not the disk, limits pushes) and are large enough, never one alone; the bytes land the same either way.
/// </summary>
public sealed class FileSystemBusyWriteTests : IDisposable
{
    private const int Size = 256 * 1024;
    private readonly string _root = Path.Join(Path.GetTempPath(), "berth-busy-" + Guid.NewGuid().ToString("N"));
    private readonly FileSystemBlobStore _store;

    public FileSystemBusyWriteTests()
    {
        _store = new FileSystemBlobStore(_root, TimeProvider.System) { BusyTransfers = 1, BusyDirectMinimum = Size };
    }

    [Fact]
    public async Task A_transfer_starting_while_another_writes_goes_direct_and_a_transfer_alone_or_small_does_not()
    {
        var held = Bytes(Size, seed: 1);
        using var paced = new PacedStream(held, 16 * 1024);
        var first = _store.PutAsync(paced, Digest.Compute(held), held.Length, CancellationToken.None).AsTask();
        paced.Allow();
        await paced.WaitForReadAsync();

        // While the first one is mid-copy: a large put and a large chunk are written directly, a small put is not.
        var busyPut = Bytes(Size, seed: 2);
        await PutAsync(busyPut);
        Assert.Equal(1, _store.DirectTransfers);
        var chunk = Bytes(Size, seed: 3);
        var uploadId = await _store.BeginUploadAsync(CancellationToken.None);
        var appended = await _store.AppendAsync(uploadId, 0, new MemoryStream(chunk), chunk.Length, CancellationToken.None);
        Assert.Equal(AppendStatus.Appended, appended.Status);
        Assert.Equal(2, _store.DirectTransfers);
        var small = Bytes(Size - 1, seed: 4);
        await PutAsync(small);
        Assert.Equal(2, _store.DirectTransfers);

        paced.Allow(held.Length);
        Assert.Equal(CommitStatus.Committed, (await first).Status);
        var committed = await _store.CommitAsync(uploadId, Digest.Compute(chunk), chunk.Length, CancellationToken.None);
        Assert.Equal(CommitStatus.Committed, committed.Status);

        // Alone again: through the page cache.
        var alone = Bytes(Size, seed: 5);
        await PutAsync(alone);
        Assert.Equal(2, _store.DirectTransfers);

        foreach (var content in new[] { held, busyPut, chunk, small, alone })
        {
            Assert.Equal(content, await ReadAsync(Digest.Compute(content)));
        }
    }

    public void Dispose()
    {
        _store.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task PutAsync(byte[] content)
    {
        var result = await _store.PutAsync(new MemoryStream(content), Digest.Compute(content), content.Length, CancellationToken.None);
        Assert.Equal(CommitStatus.Committed, result.Status);
    }

    private async Task<byte[]> ReadAsync(Digest digest)
    {
        await using var stream = await _store.OpenReadAsync(digest, 0, null, CancellationToken.None);
        Assert.NotNull(stream);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
