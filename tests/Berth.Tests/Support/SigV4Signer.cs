using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Tests.Support;

/// <summary>A key pair to sign with, and the account it belongs to.</summary>
public sealed record SigV4Credentials(string AccessKeyId, string SecretAccessKey, string AccountId);

/// <summary>
/// A deliberately plain SigV4 signer for tests (POST / with a JSON body, as botocore signs ECR calls),
/// written apart from the server's verifier so the two check each other.
/// </summary>
public static class SigV4Signer
{
    /// <summary>Signs <paramref name="request"/>; with <paramref name="signTarget"/> false, X-Amz-Target is left unsigned, as in a request crafted for replay.</summary>
    public static void Sign(
        HttpRequestMessage request, byte[] body, SigV4Credentials credentials, string region, DateTimeOffset now, string service = "ecr", bool signTarget = true)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.Authority : "localhost";
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        // STS's query requests carry no target; ECR's always do.
        var target = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.Single() : null;
        var contentType = request.Content!.Headers.ContentType!.ToString();

        signTarget &= target is not null;
        var canonicalHeaders = $"content-type:{contentType}\nhost:{host}\nx-amz-date:{amzDate}\n" + (signTarget ? $"x-amz-target:{target}\n" : "");
        var signedHeaders = signTarget ? "content-type;host;x-amz-date;x-amz-target" : "content-type;host;x-amz-date";
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var canonicalRequest = $"POST\n/\n\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
