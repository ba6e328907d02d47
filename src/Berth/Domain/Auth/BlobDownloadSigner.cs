using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Domain.Auth;

/// <summary>
/// Signs the time-limited layer URLs GetDownloadUrlForLayer hands out. A URL names its signer (principal ARN and the
/// access key it signed with) under the signature, so the download is authorized as that principal, not as the
/// account: a key disabled since, or a policy that no longer allows <c>ecr:GetDownloadUrlForLayer</c>, stops it.
/// </summary>
public sealed class BlobDownloadSigner(ReadOnlyMemory<byte> signingKey, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public const string AccountParameter = "X-Berth-Account";
    public const string RegionParameter = "X-Berth-Region";
    public const string PrincipalParameter = "X-Berth-Principal";
    public const string AccessKeyParameter = "X-Berth-Access-Key";
    public const string ExpiresParameter = "X-Berth-Expires";
    public const string SignatureParameter = "X-Berth-Signature";

    /// <summary>The query string (without '?') that authorises the download for <paramref name="signer"/>.</summary>
    public string SignQuery(RepositoryKey repository, Digest digest, Principal signer, string? accessKeyId)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var signature = Sign(repository, digest, expires, signer.Arn, accessKeyId);
        var key = accessKeyId is null ? string.Empty : $"&{AccessKeyParameter}={Uri.EscapeDataString(accessKeyId)}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{AccountParameter}={repository.AccountId}&{RegionParameter}={Uri.EscapeDataString(repository.Region)}&{PrincipalParameter}={Uri.EscapeDataString(signer.Arn)}{key}&{ExpiresParameter}={expires}&{SignatureParameter}={signature}");
    }

    /// <summary>
    /// What a signed request may be, or null when the signature is wrong, the URL expired, or it names no signer
    /// (a URL from a Berth that signed as the account).
    /// </summary>
    public SignedDownload? Validate(string account, string region, string name, Digest digest, string principalArn, string? accessKeyId, string expiresText, string signature)
    {
        // Compared as seconds: a time past year 9999 is not a DateTimeOffset and must not throw.
        if (!long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires <= time.GetUtcNow().ToUnixTimeSeconds()
            || !Principal.TryParse(principalArn, out var signer))
        {
            return null;
        }

        var key = new RepositoryKey(account, region, name);
        var expected = Encoding.ASCII.GetBytes(Sign(key, digest, expires, principalArn, accessKeyId));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature))
            ? new SignedDownload(key.Scope, signer, accessKeyId, DateTimeOffset.FromUnixTimeSeconds(expires))
            : null;
    }

    private string Sign(RepositoryKey repository, Digest digest, long expires, string principalArn, string? accessKeyId)
    {
        // Newlines cannot occur in any field, so no two different URLs sign the same text.
        var payload = string.Create(
            CultureInfo.InvariantCulture,
            $"blob2\n{repository.AccountId}\n{repository.Region}\n{repository.Name}\n{digest}\n{expires}\n{principalArn}\n{accessKeyId}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(signingKey.Span, Encoding.UTF8.GetBytes(payload)));
    }
}

/// <summary>A download URL's proven facts: the registry it reads from, who signed it, with which key, until when.</summary>
public sealed record SignedDownload(RegistryScope Scope, Principal Signer, string? AccessKeyId, DateTimeOffset ExpiresAt);
