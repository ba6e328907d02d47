namespace Berth.Domain.Auth;

/// <summary>Stores access keys with their secrets sealed (<see cref="SecretSealer"/>), and seals the ones stored before sealing existed.</summary>
public sealed class AccessKeyService(IMetadataStore store, SecretSealer sealer, IAccessKeyLookup lookup)
{
    /// <summary>Stores <paramref name="key"/> (secret in clear) sealed; false when it names a user the account does not have.</summary>
    public Task<bool> AddAsync(AccessKey key, CancellationToken cancellationToken) =>
        store.AccessKeys.AddAsync(key with { SecretAccessKey = sealer.Seal(key.AccessKeyId, key.SecretAccessKey) }, cancellationToken);

    /// <summary>
    /// Stores <paramref name="key"/> (an account root's, secret in clear) sealed, only if no access key exists at all; of
    /// nodes starting together on an empty database exactly one gets true, and only that one shows its key.
    /// </summary>
    public Task<bool> AddFirstAsync(AccessKey key, CancellationToken cancellationToken) =>
        store.RegistryKeys.AddFirstAccessKeyAsync(key with { SecretAccessKey = sealer.Seal(key.AccessKeyId, key.SecretAccessKey) }, cancellationToken);

    /// <summary>
    /// The active key <paramref name="accessKeyId"/> when <paramref name="secret"/> is its secret, else null (unknown,
    /// inactive, unopenable or wrong: the caller learns nothing about which). Looks the key up as signed requests do.
    /// </summary>
    public async Task<AccessKey?> VerifyAsync(string accessKeyId, string secret, CancellationToken cancellationToken)
    {
        if (await lookup.FindAsync(accessKeyId, cancellationToken) is not { } key)
        {
            return null;
        }

        var expected = System.Text.Encoding.UTF8.GetBytes(key.SecretAccessKey);
        var given = System.Text.Encoding.UTF8.GetBytes(secret);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, given) ? key : null;
    }

    /// <summary>Whether <paramref name="accessKeyId"/> is still an active key (a session made from it ends when it is not).</summary>
    public async Task<bool> IsActiveAsync(string accessKeyId, CancellationToken cancellationToken) =>
        await lookup.FindAsync(accessKeyId, cancellationToken) is not null;

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
                $"berth: none of the {refuses} stored access keys opens with {sealer.Source}: it is not the key they were sealed with; {SecretsKeyMismatchException.Remedy}");
        }

        return sealedCount;
    }
}

/// <summary>The stored secrets and keys were sealed with another secrets key than the one this process was given.</summary>
public sealed class SecretsKeyMismatchException(string message) : Exception(message)
{
    /// <summary>How every such refusal ends: what the operator does about it, for one node or several.</summary>
    public const string Remedy =
        "restore it from its backup; every node of a registry must be given the same secrets key (the file --secrets-key-path names, or its base64 in BERTH_SECRETS_KEY)";
}
