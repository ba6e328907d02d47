using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Bench.Http;

/// <summary>A key pair to sign with.</summary>
public sealed record SigV4Credentials(string AccessKeyId, string SecretAccessKey);

/// <summary>The headers of one signed ECR call: replayable unchanged for five minutes (the allowed clock skew).</summary>
public sealed record SignedHeaders(string Host, string Target, string AmzDate, string Authorization)
{
    public const string ContentType = "application/x-amz-json-1.1";
}

/// <summary>
/// A plain SigV4 signer for POST / with a JSON body, as botocore signs ECR calls (copied from the tests' signer,
/// so the harness depends on nothing it measures).
/// </summary>
public static class SigV4Signer
{
    public const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921.";

    public static SignedHeaders Sign(string host, string operation, ReadOnlySpan<byte> body, SigV4Credentials credentials, string region, DateTimeOffset now)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var target = TargetPrefix + operation;
        var canonicalHeaders = $"content-type:{SignedHeaders.ContentType}\nhost:{host}\nx-amz-date:{amzDate}\nx-amz-target:{target}\n";
        const string signed = "content-type;host;x-amz-date;x-amz-target";
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var canonicalRequest = $"POST\n/\n\n{canonicalHeaders}\n{signed}\n{payloadHash}";
        var scope = $"{date}/{region}/ecr/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, "ecr");
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        return new SignedHeaders(host, target, amzDate,
            $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signed}, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
