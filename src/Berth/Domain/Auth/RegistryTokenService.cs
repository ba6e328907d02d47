using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Domain.Auth;

/// <summary>
/// Issues and checks the passwords behind ECR's <c>AWS:&lt;password&gt;</c> registry credentials. A password is
/// <c>v1.&lt;payload&gt;.&lt;mac&gt;</c>: the payload names account, region, principal and expiry, and an HMAC
/// with a key from the data dir proves Berth issued it, so checking one needs no database read and
/// survives restarts. The principal field holds the caller's IAM ARN; passwords issued before principals existed hold
/// an access key id there, and those keys all belonged to their account's root, so they still name that root. A fifth
/// field names the access key that asked, so <see cref="RegistryTokenGuard"/> can refuse the token once that key is
/// disabled or deleted; for the oldest passwords the key id in the principal field serves.
/// </summary>
public sealed class RegistryTokenService(ReadOnlyMemory<byte> signingKey, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const string Version = "v1";

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public (string Password, DateTimeOffset ExpiresAt) Issue(Principal principal, string region, string? accessKeyId = null)
    {
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds());
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = accessKeyId is null
            ? string.Join('\n', principal.AccountId, region, principal.Arn, expires)
            : string.Join('\n', principal.AccountId, region, principal.Arn, expires, accessKeyId);
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        var mac = HMACSHA256.HashData(signingKey.Span, payloadBytes);
        return ($"{Version}.{Base64Url.EncodeToString(payloadBytes)}.{Base64Url.EncodeToString(mac)}", expiresAt);
    }

    /// <summary>The token a password carries, or null when it is forged, malformed or expired.</summary>
    public RegistryToken? Validate(string password)
    {
        var parts = password.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
        {
            return null;
        }

        byte[] payload;
        byte[] mac;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[1]);
            mac = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(signingKey.Span, payload)))
        {
            return null;
        }

        var fields = Encoding.UTF8.GetString(payload).Split('\n');
        // An expiry past year 9999 is not a DateTimeOffset; Berth never issues one, so it is malformed.
        if (fields.Length is not (4 or 5) || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > MaxUnixSeconds)
        {
            return null;
        }

        var (account, region) = (fields[0], fields[1]);
        var isArn = Principal.TryParse(fields[2], out var named);
        var principal = isArn && named.AccountId == account
            ? named
            : Principal.Root(account, RepositoryArn.Partition(region));
        var accessKeyId = fields.Length == 5 ? fields[4]
            : !isArn && !RepositoryArn.IsAccountId(fields[2]) ? fields[2]
            : null;
        var token = new RegistryToken(account, region, principal, DateTimeOffset.FromUnixTimeSeconds(expires), accessKeyId);
        return token.ExpiresAt > time.GetUtcNow() ? token : null;
    }
}
