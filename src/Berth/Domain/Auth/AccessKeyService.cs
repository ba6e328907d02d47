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
        var (opens, refuses) = (0, 0);
        foreach (var key in await store.AccessKeys.ListAsync(null, cancellationToken))
        {
            if (SecretSealer.IsSealed(key.SecretAccessKey))
            {
                // One secret that opens proves the key file right; the rest need no decrypting at start.
                if (opens > 0)
                {
                    continue;
                }

                if (sealer.Unseal(key.AccessKeyId, key.SecretAccessKey) is null)
                {
                    refuses++;
                }
                else
                {
                    opens++;
                }
            }
            else if (await store.AccessKeys.ReplaceSecretAsync(key.AccessKeyId, key.SecretAccessKey, sealer.Seal(key.AccessKeyId, key.SecretAccessKey), cancellationToken))
            {
                sealedCount++;
            }
        }

        // Every sealed secret failing to open means the secrets key is not the one they were sealed with (lost and made
        // anew, or another data dir's): serving would refuse every key with a signature error nobody could explain.
        if (refuses > 0 && opens == 0)
        {
            throw new SecretsKeyMismatchException(
                $"berth: none of the {refuses} stored access keys opens with this data dir's secrets.key: it is not the file they were sealed with; restore that file from its backup");
        }

        return sealedCount;
    }
}

/// <summary>The stored secrets were sealed with another secrets key than the one in the data dir.</summary>
public sealed class SecretsKeyMismatchException(string message) : Exception(message);
