using System.Security.Cryptography;
using System.Text;
using Berth.Storage.FileSystem;

namespace Berth.Storage.S3;

/// <summary>
/// Serialises, within one node, the check-then-write that publishes one blob key, so that concurrent pushes of the same
/// blob through that node write it once: the first writes, the rest find it stored. Nodes do not share a gate; a write
/// that collides with another node's is settled by the caller looking again.
/// </summary>
internal sealed class S3PublishGate : IDisposable
{
    /// <summary>The gate every store of this process shares: the process is one node.</summary>
    public static readonly S3PublishGate Process = new();

    private readonly UploadStates _gates = new();

    /// <summary>Runs <paramref name="publish"/> while no other publish of the same key through this gate runs.</summary>
    public async ValueTask RunAsync(string bucket, string fullKey, Func<ValueTask> publish, CancellationToken cancellationToken)
    {
        using var lease = await _gates.EnterAsync(KeyId(bucket, fullKey), cancellationToken);
        try
        {
            await publish();
        }
        finally
        {
            lease.Retire();
        }
    }

    public void Dispose() => _gates.Dispose();

    // The gates are keyed by Guid; a hash of the key gives one per blob.
    private static Guid KeyId(string bucket, string fullKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(bucket + "/" + fullKey), hash);
        return new Guid(hash[..16]);
    }
}
