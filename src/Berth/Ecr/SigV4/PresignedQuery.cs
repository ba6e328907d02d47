using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Berth.Ecr.SigV4;

/// <summary>
/// Reads the SigV4 presigned query: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
/// X-Amz-SignedHeaders and X-Amz-Signature.
/// </summary>
internal static class PresignedQuery
{
    private const string AlgorithmParameter = "X-Amz-Algorithm";
    private const string CredentialParameter = "X-Amz-Credential";
    private const string DateParameter = "X-Amz-Date";
    private const string ExpiresParameter = "X-Amz-Expires";
    private const string SignedHeadersParameter = "X-Amz-SignedHeaders";

    /// <summary>Whether the query carries any of the presigning parameters.</summary>
    public static bool IsPresent(HttpRequest request)
    {
        // Looking at the raw string first keeps ordinary requests from parsing their query.
        var raw = request.QueryString.Value;
        if (raw is null || !raw.Contains("X-Amz-", StringComparison.Ordinal))
        {
            return false;
        }

        var query = request.Query;
        return query.ContainsKey(AlgorithmParameter)
            || query.ContainsKey(CredentialParameter)
            || query.ContainsKey(CanonicalRequest.SignatureParameter);
    }

    /// <summary>Parses and checks the presigning parameters, up to but not including the key lookup.</summary>
    public static bool TryParse(
        IQueryCollection query,
        DateTimeOffset now,
        string service,
        out SignatureParameters parameters,
        [NotNullWhen(false)] out SigV4Outcome? failure)
    {
        parameters = default;
        var algorithm = Single(query, AlgorithmParameter);
        var credential = Single(query, CredentialParameter);
        var amzDate = Single(query, DateParameter);
        var expires = Single(query, ExpiresParameter);
        var signedHeaders = Single(query, SignedHeadersParameter);
        var signature = Single(query, CanonicalRequest.SignatureParameter);
        if (algorithm is null || credential is null || amzDate is null || expires is null || signedHeaders is null || signature is null)
        {
            failure = SigV4Failures.Incomplete(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
            return false;
        }

        if (!SigningTime.TryParseIso8601Basic(amzDate, out var requestTime))
        {
            failure = SigV4Failures.MalformedDate(amzDate);
            return false;
        }

        if (!int.TryParse(expires, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expiresSeconds))
        {
            failure = SigV4Failures.Incomplete("X-Amz-Expires should be a number");
            return false;
        }

        if (expiresSeconds < 0)
        {
            failure = SigV4Failures.Incomplete("X-Amz-Expires must be non-negative");
            return false;
        }

        if (expiresSeconds > SigningTime.MaxPresignedExpirySeconds)
        {
            failure = SigV4Failures.Incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800");
            return false;
        }

        if (SigningTime.CheckPresignedWindow(requestTime, expiresSeconds, now) is { } expired)
        {
            failure = expired;
            return false;
        }

        if (!CanonicalRequest.SignsHeader(signedHeaders, "host"))
        {
            failure = SigV4Failures.HostNotSigned;
            return false;
        }

        if (algorithm is not SigV4Signature.Algorithm)
        {
            failure = SigV4Failures.UnsupportedAlgorithm(algorithm);
            return false;
        }

        if (!CredentialScope.TryParse(credential, amzDate, service, out var accessKeyId, out var region, out failure))
        {
            return false;
        }

        parameters = new SignatureParameters(
            accessKeyId,
            region,
            amzDate,
            signedHeaders.AsMemory(),
            signature.AsMemory(),
            Presigned: true);
        return true;
    }

    // A repeated or empty parameter counts as missing: it cannot be told which copy was signed.
    private static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count != 1)
        {
            return null;
        }

        var value = values[0];
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
