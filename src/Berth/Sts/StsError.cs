using Berth.Ecr;

namespace Berth.Sts;

/// <summary>An STS error: its type (Sender or Receiver), code, message and HTTP status.</summary>
public sealed record StsError(string Type, string Code, string Message, int StatusCode)
{
    public static StsError Sender(string code, string message, int statusCode) => new("Sender", code, message, statusCode);

    /// <summary>A SigV4 failure in STS's words (its codes drop the <c>Exception</c> suffix the JSON services use).</summary>
    public static StsError FromAuthentication(EcrError error) => error.Type switch
    {
        "UnrecognizedClientException" => Sender("InvalidClientTokenId", error.Message, 403),
        "InvalidSignatureException" => Sender("SignatureDoesNotMatch", error.Message, 403),
        "IncompleteSignatureException" => Sender("IncompleteSignature", error.Message, 400),
        "MissingAuthenticationTokenException" => Sender("MissingAuthenticationToken", "Request is missing Authentication Token", 403),
        var type => Sender(type.EndsWith("Exception", StringComparison.Ordinal) ? type[..^"Exception".Length] : type, error.Message, error.StatusCode),
    };
}
