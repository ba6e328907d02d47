using System.Collections.Concurrent;

namespace Berth.Domain.Auth;

/// <summary>
/// Remembers access keys once found, so signature checks cost no database read; unknown ids are looked up
/// each time, so a key created by `berth keys create` works without a restart.
/// </summary>
public sealed class AccessKeyCache(IMetadataStore store) : IAccessKeyLookup
{
    private readonly ConcurrentDictionary<string, AccessKey> _known = new(StringComparer.Ordinal);

    public async ValueTask<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(accessKeyId, out var key))
        {
            return key;
        }

        key = await store.AccessKeys.FindAsync(accessKeyId, cancellationToken);
        if (key is not null)
        {
            _known.TryAdd(accessKeyId, key);
        }

        return key;
    }
}
