namespace Berth.Oci;

/// <summary>An OCI distribution error: the spec's code, a message, the HTTP status.</summary>
public sealed record OciError(string Code, string Message, int StatusCode)
{
    public static OciError NameInvalid(string name) => OciErrorCode.NameInvalid.With($"invalid repository name '{Truncate(name)}'");

    public static OciError DigestInvalid(string text) => OciErrorCode.DigestInvalid.With($"'{Truncate(text)}' is not a valid digest");

    public static OciError ManifestUnknown(string reference) => OciErrorCode.ManifestUnknown.With($"manifest '{Truncate(reference)}' is unknown");

    public static OciError NotFound() => OciErrorCode.NotFound.With("no such endpoint in the OCI distribution API");

    public static OciError MethodNotAllowed() => OciErrorCode.MethodNotAllowed.With("the method is not supported on this endpoint");

    public static OciError Server() => OciErrorCode.Unknown.With("an internal error occurred in Berth; the request was not applied");

    private static string Truncate(string text) => text.Length <= 128 ? text : text[..128] + "...";
}
