using Berth.Storage.FileSystem;

namespace Berth.Tests.Storage;

/// <summary>
/// The shared upload suite against a filesystem store that writes every transfer with direct I/O, as it does only for
/// blobs larger than its threshold: the aligned-block path must place bytes exactly as the page-cache path does.
/// </summary>
public sealed class FileSystemDirectWriteTests : BlobUploadStoreSuite
{
    private readonly string _root = Path.Join(Path.GetTempPath(), "berth-direct-" + Guid.NewGuid().ToString("N"));

    protected override BlobBackend OpenBackend(TimeProvider time)
    {
        var store = new FileSystemBlobStore(_root, time) { DirectWriteThreshold = 0 };
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
}
