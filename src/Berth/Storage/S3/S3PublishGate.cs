using System.Security.Cryptography;
using System.Text;
using Berth.Storage.FileSystem;

namespace Berth.Storage.S3;

/// <summary>
/// Serialises, within this process, the check-then-write that publishes one blob key, so that concurrent pushes of the
/// same blob write it once: the first writes, the rest find it stored. Across nodes identical concurrent writes are
/// harmless to S3 (the bytes are the same), but some S3-compatible servers fail them (moto answers 500).
/// </summary>
internal static class S3PublishGate
{
    private static readonly UploadStates Gates = new();

    /// <summary>Runs <paramref name="publish"/> while no other publish of the same key in this process runs.</summary>
    public static async ValueTask RunAsync(string bucket, string fullKey, Func<ValueTask> publish, CancellationToken cancellationToken)
    {
        using var lease = await Gates.EnterAsync(KeyId(bucket, fullKey), cancellationToken);
        try
        {
            await publish();
        }
        finally
        {
            lease.Retire();
        }
    }

    // The gates are keyed by Guid; a hash of the key gives one per blob.
    private static Guid KeyId(string bucket, string fullKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(bucket + "/" + fullKey), hash);
        return new Guid(hash[..16]);
    }
}
