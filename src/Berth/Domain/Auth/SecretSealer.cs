using System.Security.Cryptography;
using System.Text;

namespace Berth.Domain.Auth;

/// <summary>
/// Encrypts secret access keys for storage with AES-GCM under a key kept outside the database, so a copy of the
/// database alone does not reveal them. A sealed secret is <c>sealed1:&lt;base64 of nonce, tag, ciphertext&gt;</c>, bound
/// to its access key id (the associated data), so a sealed value moved onto another key's row does not open.
/// </summary>
public sealed class SecretSealer
{
    public const string Prefix = "sealed1:";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    /// <param name="key">32 bytes (AES-256).</param>
    /// <param name="source">Where the key came from, as a message to the operator names it (never the key itself).</param>
    public SecretSealer(ReadOnlySpan<byte> key, string source = "the secrets key")
    {
        Source = source;
        if (key.Length != 32)
        {
            throw new ArgumentException("The secrets key must be 32 bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>Where the key came from, such as "this data dir's secrets.key".</summary>
    public string Source { get; }

    /// <summary>True when <paramref name="stored"/> is sealed; secrets stored before sealing existed are plain text.</summary>
    public static bool IsSealed(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    public string Seal(string accessKeyId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(accessKeyId));
        CryptographicOperations.ZeroMemory(plain);
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>
    /// The secret in clear: a plain (legacy) value as it is, a sealed one decrypted; null when a sealed value does not
    /// open with this key (another key file, or a value moved from another key's row).
    /// </summary>
    public string? Unseal(string accessKeyId, string stored)
    {
        if (!IsSealed(stored))
        {
            return stored;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(accessKeyId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }
}
