namespace Berth.Oci;

/// <summary>An OCI distribution error: the spec's code, a message, the HTTP status.</summary>
public sealed record OciError(string Code, string Message, int StatusCode)
{
    public static OciError NameInvalid(string name) => new("NAME_INVALID", $"invalid repository name '{Truncate(name)}'", 400);

    public static OciError DigestInvalid(string text) => new("DIGEST_INVALID", $"'{Truncate(text)}' is not a valid digest", 400);

    public static OciError ManifestUnknown(string reference) => new("MANIFEST_UNKNOWN", $"manifest '{Truncate(reference)}' is unknown", 404);

    public static OciError NotFound() => new("NOT_FOUND", "no such endpoint in the OCI distribution API", 404);

    public static OciError MethodNotAllowed() => new("UNSUPPORTED", "the method is not supported on this endpoint", 405);

    private static string Truncate(string text) => text.Length <= 128 ? text : text[..128] + "...";
}
