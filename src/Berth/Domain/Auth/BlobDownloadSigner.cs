using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Domain.Auth;

/// <summary>
/// Signs the time-limited layer URLs GetDownloadUrlForLayer hands out: the URL alone grants GET of one
/// blob in one repository until it expires.
/// </summary>
public sealed class BlobDownloadSigner(ReadOnlyMemory<byte> signingKey, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public const string AccountParameter = "X-Berth-Account";
    public const string RegionParameter = "X-Berth-Region";
    public const string ExpiresParameter = "X-Berth-Expires";
    public const string SignatureParameter = "X-Berth-Signature";

    /// <summary>The query string (without '?') that authorises the download.</summary>
    public string SignQuery(RepositoryKey repository, Digest digest)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var signature = Sign(repository, digest, expires);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{AccountParameter}={repository.AccountId}&{RegionParameter}={Uri.EscapeDataString(repository.Region)}&{ExpiresParameter}={expires}&{SignatureParameter}={signature}");
    }

    /// <summary>The registry a signed request may read from, or null when the signature is wrong or expired.</summary>
    public RegistryScope? Validate(string account, string region, string name, Digest digest, string expiresText, string signature)
    {
        // Compared as seconds: a time past year 9999 is not a DateTimeOffset and must not throw.
        if (!long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        var key = new RepositoryKey(account, region, name);
        var expected = Encoding.ASCII.GetBytes(Sign(key, digest, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? key.Scope : null;
    }

    private string Sign(RepositoryKey repository, Digest digest, long expires)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"blob\n{repository.AccountId}\n{repository.Region}\n{repository.Name}\n{digest}\n{expires}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(signingKey.Span, Encoding.UTF8.GetBytes(payload)));
    }
}
