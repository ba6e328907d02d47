namespace Berth.Ecr.SigV4;

/// <summary>The AWS errors a SigV4 check can end in, with the wording AWS JSON services use.</summary>
internal static class SigV4Failures
{
    public const string MissingAuthenticationTokenType = "MissingAuthenticationTokenException";
    public const string IncompleteSignatureType = "IncompleteSignatureException";
    public const string InvalidSignatureType = "InvalidSignatureException";
    public const string UnrecognizedClientType = "UnrecognizedClientException";

    public static readonly SigV4Outcome MissingAuthenticationToken = SigV4Outcome.Failure(
        MissingAuthenticationTokenType, "Missing Authentication Token", StatusCodes.Status403Forbidden);

    public static readonly SigV4Outcome UnrecognizedClient = SigV4Outcome.Failure(
        UnrecognizedClientType, "The security token included in the request is invalid.", StatusCodes.Status400BadRequest);

    public static readonly SigV4Outcome SignatureMismatch = Invalid(
        "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    public static readonly SigV4Outcome PayloadHashMismatch = Invalid(
        "The provided 'x-amz-content-sha256' header does not match what was computed.");

    public static readonly SigV4Outcome UnsignedPayload = Invalid(
        "'x-amz-content-sha256' UNSIGNED-PAYLOAD is not accepted by this service; the request body must be signed.");

    public static readonly SigV4Outcome HostNotSigned = Invalid(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");

    /// <summary>The request lacks a part of the signature, or a part cannot be parsed.</summary>
    public static SigV4Outcome Incomplete(string message) =>
        SigV4Outcome.Failure(IncompleteSignatureType, message, StatusCodes.Status400BadRequest);

    /// <summary>The signature is complete but wrong: bad scope, bad time or bad value.</summary>
    public static SigV4Outcome Invalid(string message) =>
        SigV4Outcome.Failure(InvalidSignatureType, message, StatusCodes.Status400BadRequest);

    public static SigV4Outcome HeaderNotSigned(string displayName) =>
        Invalid($"'{displayName}' must be a 'SignedHeader' in the AWS Authorization.");

    public static SigV4Outcome UnsupportedAlgorithm(ReadOnlySpan<char> algorithm) =>
        Incomplete($"Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now).");

    public static SigV4Outcome MalformedDate(ReadOnlySpan<char> value) =>
        Incomplete($"Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601");
}
