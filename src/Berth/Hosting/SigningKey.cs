using System.Security.Cryptography;
using Berth.Domain;
using Berth.Domain.Auth;

namespace Berth.Hosting;

/// <summary>
/// The key that signs registry passwords and download URLs: one per registry, kept in the metadata store sealed with
/// the secrets key, so what one node signed every node accepts, and a copy of the database alone cannot forge either.
/// Loaded with the storage (<see cref="BerthServices.PrepareStorageAsync"/>), before anything signs.
/// </summary>
public sealed class SigningKey
{
    /// <summary>Its name in <see cref="IRegistryKeyStore"/>, and the associated data it is sealed under.</summary>
    public const string Name = "registry-token";

    private byte[]? _bytes;

    public ReadOnlyMemory<byte> Bytes =>
        _bytes ?? throw new InvalidOperationException("The signing key is loaded when storage is prepared (BerthServices.PrepareStorageAsync).");

    /// <summary>
    /// Loads the registry's key; the first process to find none stores one: the data dir's <c>registry-token.key</c>
    /// when it has one (kept by Berth before the key moved into the database, so passwords issued then stay good),
    /// otherwise a new random key. The file is no longer read once the database holds a key.
    /// </summary>
    /// <exception cref="SecretsKeyMismatchException">The stored key does not open with this secrets key.</exception>
    public async Task LoadAsync(IRegistryKeyStore store, SecretSealer sealer, string dataDir, CancellationToken cancellationToken)
    {
        var legacy = Path.Combine(dataDir, SigningKeyFile.FileName);
        var candidate = File.Exists(legacy) ? await File.ReadAllBytesAsync(legacy, cancellationToken) : RandomNumberGenerator.GetBytes(32);
        var stored = await store.AddIfAbsentAsync(Name, sealer.Seal(Name, Convert.ToBase64String(candidate)), cancellationToken);
        CryptographicOperations.ZeroMemory(candidate);
        var opened = sealer.Unseal(Name, stored) ?? throw new SecretsKeyMismatchException(
            $"berth: this registry's signing key does not open with {sealer.Source}: it is not the secrets key the registry was created with; {SecretsKeyMismatchException.Remedy}");
        _bytes = Convert.FromBase64String(opened);
    }
}
