using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Berth.Ecr.SigV4;

/// <summary>
/// Reads the SigV4 Authorization header:
/// <c>AWS4-HMAC-SHA256 Credential=AKID/yyyyMMdd/region/service/aws4_request, SignedHeaders=a;b, Signature=hex</c>.
/// </summary>
internal static class AuthorizationHeader
{
    /// <summary>Whether the header claims SigV4 at all; anything else counts as no authentication token.</summary>
    public static bool IsSigV4(string authorization) =>
        authorization.AsSpan().TrimStart().StartsWith("AWS4-", StringComparison.Ordinal);

    /// <summary>Parses and checks the header in the order AWS does, up to but not including the key lookup.</summary>
    public static bool TryParse(
        string authorization,
        IHeaderDictionary headers,
        DateTimeOffset now,
        string service,
        out SignatureParameters parameters,
        [NotNullWhen(false)] out SigV4Outcome? failure)
    {
        parameters = default;
        var (start, end) = TrimBounds(authorization, 0, authorization.Length);
        var space = authorization.IndexOf(' ', start, end - start);
        var algorithm = authorization.AsSpan(start, (space < 0 ? end : space) - start);

        Range credential = default, signedHeaders = default, signature = default;
        bool hasCredential = false, hasSignedHeaders = false, hasSignature = false;
        var position = space < 0 ? end : space + 1;
        while (position < end)
        {
            var comma = authorization.IndexOf(',', position, end - position);
            var (partStart, partEnd) = TrimBounds(authorization, position, comma < 0 ? end : comma);
            position = comma < 0 ? end : comma + 1;
            if (partStart == partEnd)
            {
                continue;
            }

            var equals = authorization.IndexOf('=', partStart, partEnd - partStart);
            if (equals < 0)
            {
                failure = SigV4Failures.Incomplete(
                    $"'{authorization.AsSpan(partStart, partEnd - partStart)}' not a valid key=value pair (missing equal-sign) in Authorization header: '{authorization}'.");
                return false;
            }

            var (keyStart, keyEnd) = TrimBounds(authorization, partStart, equals);
            var (valueStart, valueEnd) = TrimBounds(authorization, equals + 1, partEnd);
            var value = new Range(valueStart, valueEnd);
            var present = valueEnd > valueStart;
            switch (authorization.AsSpan(keyStart, keyEnd - keyStart))
            {
                case "Credential":
                    (credential, hasCredential) = (value, present);
                    break;
                case "SignedHeaders":
                    (signedHeaders, hasSignedHeaders) = (value, present);
                    break;
                case "Signature":
                    (signature, hasSignature) = (value, present);
                    break;
                default:
                    break;
            }
        }

        var amzDateHeader = headers["X-Amz-Date"];
        var dateHeader = headers.Date;
        var hasDate = !StringValues.IsNullOrEmpty(amzDateHeader) || !StringValues.IsNullOrEmpty(dateHeader);
        if (!hasCredential || !hasSignedHeaders || !hasSignature || !hasDate)
        {
            failure = SigV4Failures.Incomplete(MissingPartsMessage(authorization, hasCredential, hasSignedHeaders, hasSignature, hasDate));
            return false;
        }

        string amzDate;
        DateTimeOffset requestTime;
        var signedDateHeader = "x-amz-date";
        if (!StringValues.IsNullOrEmpty(amzDateHeader))
        {
            var value = amzDateHeader.ToString();
            if (!SigningTime.TryParseIso8601Basic(value.AsSpan().Trim(), out requestTime))
            {
                failure = SigV4Failures.MalformedDate(value);
                return false;
            }

            amzDate = value.Trim();
        }
        else
        {
            var value = dateHeader.ToString();
            if (!SigningTime.TryParseHttpDate(value, out requestTime))
            {
                failure = SigV4Failures.MalformedDate(value);
                return false;
            }

            amzDate = SigningTime.Format(requestTime);
            signedDateHeader = "date";
        }

        if (SigningTime.CheckClockSkew(requestTime, now) is { } skewed)
        {
            failure = skewed;
            return false;
        }

        var signedHeaderList = authorization.AsSpan()[signedHeaders];
        if (!CanonicalRequest.SignsHeader(signedHeaderList, "host"))
        {
            failure = SigV4Failures.HostNotSigned;
            return false;
        }

        if (!CanonicalRequest.SignsHeader(signedHeaderList, signedDateHeader))
        {
            failure = SigV4Failures.HeaderNotSigned(signedDateHeader is "date" ? "Date" : "X-Amz-Date");
            return false;
        }

        if (algorithm is not SigV4Signature.Algorithm)
        {
            failure = SigV4Failures.UnsupportedAlgorithm(algorithm);
            return false;
        }

        if (!CredentialScope.TryParse(authorization.AsSpan()[credential], amzDate, service, out var accessKeyId, out var region, out failure))
        {
            return false;
        }

        parameters = new SignatureParameters(
            accessKeyId,
            region,
            amzDate,
            authorization.AsMemory()[signedHeaders],
            authorization.AsMemory()[signature],
            Presigned: false);
        return true;
    }

    private static (int Start, int End) TrimBounds(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }

    private static string MissingPartsMessage(string authorization, bool hasCredential, bool hasSignedHeaders, bool hasSignature, bool hasDate)
    {
        var message = new StringBuilder();
        if (!hasCredential)
        {
            message.Append("Authorization header requires 'Credential' parameter. ");
        }

        if (!hasSignature)
        {
            message.Append("Authorization header requires 'Signature' parameter. ");
        }

        if (!hasSignedHeaders)
        {
            message.Append("Authorization header requires 'SignedHeaders' parameter. ");
        }

        if (!hasDate)
        {
            message.Append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }

        return message.Append("Authorization=").Append(authorization).ToString();
    }
}
