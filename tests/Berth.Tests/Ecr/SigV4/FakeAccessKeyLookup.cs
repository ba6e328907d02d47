using Berth.Domain;

namespace Berth.Tests.Ecr.SigV4;

/// <summary>An in-memory key store; optionally answers asynchronously to exercise the verifier's await path.</summary>
internal sealed class FakeAccessKeyLookup(bool yieldFirst = false) : IAccessKeyLookup
{
    private readonly Dictionary<string, AccessKey> _keys = new(StringComparer.Ordinal);

    public int Lookups { get; private set; }

    public FakeAccessKeyLookup Add(string accessKeyId, string secretAccessKey, string accountId = "123456789012")
    {
        _keys[accessKeyId] = new AccessKey(accessKeyId, secretAccessKey, accountId, DateTimeOffset.UnixEpoch);
        return this;
    }

    public async ValueTask<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        Lookups++;
        if (yieldFirst)
        {
            await Task.Yield();
        }

        return _keys.GetValueOrDefault(accessKeyId);
    }
}
