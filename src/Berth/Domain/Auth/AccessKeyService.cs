namespace Berth.Domain.Auth;

/// <summary>Stores access keys with their secrets sealed (<see cref="SecretSealer"/>), and seals the ones stored before sealing existed.</summary>
public sealed class AccessKeyService(IMetadataStore store, SecretSealer sealer)
{
    /// <summary>Stores <paramref name="key"/> (secret in clear) sealed; false when it names a user the account does not have.</summary>
    public Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken) =>
        store.AccessKeys.AddAsync(key with { SecretAccessKey = sealer.Seal(key.AccessKeyId, key.SecretAccessKey) }, cancellationToken);

    /// <summary>
    /// Seals every secret still stored in clear; safe beside other processes doing the same, since each replacement
    /// applies only while the clear value is still there.
    /// </summary>
    /// <returns>How many secrets this call sealed.</returns>
    public async Task<int> SealPlaintextAsync(CancellationToken cancellationToken)
    {
        var sealedCount = 0;
        foreach (var key in await store.AccessKeys.ListAsync(null, cancellationToken))
        {
            if (!SecretSealer.IsSealed(key.SecretAccessKey)
                && await store.AccessKeys.ReplaceSecretAsync(key.AccessKeyId, key.SecretAccessKey, sealer.Seal(key.AccessKeyId, key.SecretAccessKey), cancellationToken))
            {
                sealedCount++;
            }
        }

        return sealedCount;
    }
}
