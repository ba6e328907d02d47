using Berth.Storage.FileSystem;

namespace Berth.Tests.Storage;

/// <summary>The shared upload suite against the filesystem store, which serves the bytes and the upload ports in one class.</summary>
public sealed class FileSystemBlobUploadStoreTests : BlobUploadStoreSuite
{
    private readonly string _root = Path.Join(Path.GetTempPath(), "berth-uploads-" + Guid.NewGuid().ToString("N"));

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
}
