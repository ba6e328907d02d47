using System.Security.Cryptography;
using System.Text;

namespace Berth.Ecr.SigV4;

/// <summary>Derives SigV4 signing keys and computes signatures over canonical requests.</summary>
public static class SigV4Signature
{
    /// <summary>The only signing algorithm SigV4 defines.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The last element of every credential scope.</summary>
    public const string Terminator = "aws4_request";

    /// <summary>Returns the lower-case hex signature of <paramref name="canonicalRequest"/>.</summary>
    /// <param name="secretAccessKey">The secret of the signing access key.</param>
    /// <param name="amzDate">The request time as yyyyMMdd'T'HHmmss'Z'; its first eight characters are the scope date.</param>
    /// <param name="region">The region of the credential scope.</param>
    /// <param name="service">The service of the credential scope.</param>
    /// <param name="canonicalRequest">The canonical request, e.g. from <see cref="CanonicalRequest.Build"/>.</param>
    public static string ComputeSignature(string secretAccessKey, string amzDate, string region, string service, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(amzDate);
        if (amzDate.Length < 8)
        {
            throw new ArgumentException("The request time must start with yyyyMMdd.", nameof(amzDate));
        }

        Span<byte> signingKey = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        DeriveSigningKey(secretAccessKey, amzDate.AsSpan(0, 8), region, service, signingKey);
        Sign(signingKey, amzDate, region, service, Encoding.UTF8.GetBytes(canonicalRequest), signature);
        CryptographicOperations.ZeroMemory(signingKey);
        return Convert.ToHexStringLower(signature);
    }

    /// <summary>Returns the string to sign: algorithm, request time, credential scope and the hash of the canonical request.</summary>
    public static string BuildStringToSign(string amzDate, string region, string service, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(amzDate);
        var builder = new Utf8Builder(stackalloc byte[256]);
        try
        {
            WriteStringToSign(ref builder, amzDate, region, service, Encoding.UTF8.GetBytes(canonicalRequest));
            return Encoding.UTF8.GetString(builder.Written);
        }
        finally
        {
            builder.Dispose();
        }
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    internal static void DeriveSigningKey(
        scoped ReadOnlySpan<char> secretAccessKey,
        scoped ReadOnlySpan<char> date,
        scoped ReadOnlySpan<char> region,
        scoped ReadOnlySpan<char> service,
        Span<byte> destination)
    {
        var text = new Utf8Builder(stackalloc byte[128]);
        try
        {
            text.Append("AWS4"u8);
            text.Append(secretAccessKey);
            var secretLength = text.Length;
            text.Append(date);
            HMACSHA256.HashData(text.Written[..secretLength], text.Written[secretLength..], destination);
            text.Clear();
            text.Append(region);
            HMACSHA256.HashData(destination, text.Written, destination);

            text.Truncate(0);
            text.Append(service);
            HMACSHA256.HashData(destination, text.Written, destination);

            HMACSHA256.HashData(destination, "aws4_request"u8, destination);
        }
        finally
        {
            text.Dispose();
        }
    }

    /// <summary>Computes the raw 32-byte signature of a canonical request with a derived signing key.</summary>
    internal static void Sign(
        scoped ReadOnlySpan<byte> signingKey,
        scoped ReadOnlySpan<char> amzDate,
        scoped ReadOnlySpan<char> region,
        scoped ReadOnlySpan<char> service,
        scoped ReadOnlySpan<byte> canonicalRequest,
        Span<byte> destination)
    {
        var stringToSign = new Utf8Builder(stackalloc byte[256]);
        try
        {
            WriteStringToSign(ref stringToSign, amzDate, region, service, canonicalRequest);
            HMACSHA256.HashData(signingKey, stringToSign.Written, destination);
        }
        finally
        {
            stringToSign.Dispose();
        }
    }

    private static void WriteStringToSign(
        ref Utf8Builder builder,
        scoped ReadOnlySpan<char> amzDate,
        scoped ReadOnlySpan<char> region,
        scoped ReadOnlySpan<char> service,
        scoped ReadOnlySpan<byte> canonicalRequest)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(canonicalRequest, hash);
        builder.Append("AWS4-HMAC-SHA256\n"u8);
        builder.Append(amzDate);
        builder.Append((byte)'\n');
        builder.Append(amzDate[..Math.Min(8, amzDate.Length)]);
        builder.Append((byte)'/');
        builder.Append(region);
        builder.Append((byte)'/');
        builder.Append(service);
        builder.Append("/aws4_request\n"u8);
        builder.AppendLowerHex(hash);
    }
}
