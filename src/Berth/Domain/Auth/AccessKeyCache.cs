using System.Collections.Concurrent;

namespace Berth.Domain.Auth;

/// <summary>
/// Finds active access keys with their secrets in clear. A found key is remembered for at most <see cref="MaxAge"/>, so
/// a burst of signed requests costs one database read a second per key, while a key disabled or deleted by another
/// process (`berth keys disable`) is refused within that second. Unknown, inactive and unopenable keys are never
/// remembered, so a key created by `berth keys create` works at once.
/// </summary>
public sealed class AccessKeyCache(IMetadataStore store, SecretSealer sealer, TimeProvider time) : IAccessKeyLookup
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (AccessKey Key, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    public async ValueTask<AccessKey?> FindAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue(accessKeyId, out var entry) && now < entry.Until)
        {
            return entry.Key;
        }

        var stored = await store.AccessKeys.FindAsync(accessKeyId, cancellationToken);
        if (stored is not { Status: AccessKeyStatus.Active } || sealer.Unseal(stored.AccessKeyId, stored.SecretAccessKey) is not { } secret)
        {
            _known.TryRemove(accessKeyId, out _);
            return null;
        }

        var key = stored with { SecretAccessKey = secret };
        _known[accessKeyId] = (key, now + MaxAge);
        return key;
    }
}
