using System.Text.Json;

namespace Berth.Domain.Manifests;

/// <summary>Docker schema 1, the deprecated signed manifest format: recognised so that pushes get a clear refusal.</summary>
internal static class DockerSchema1
{
    /// <summary>True for a body with no declared type that still announces itself as schema 1.</summary>
    public static bool IsSchemaVersion1(JsonElement root) =>
        root.TryGetProperty("schemaVersion"u8, out var version)
        && version.ValueKind == JsonValueKind.Number
        && version.TryGetInt32(out var value)
        && value == 1;

    public static ManifestParseResult Reject(string mediaType) => ManifestParseResult.Failure(
        ManifestErrorKind.Unsupported,
        $"Docker image manifest schema 1 ({mediaType}) is not supported: Amazon ECR no longer accepts schema 1 "
        + "pushes from modern clients, and CNCF Distribution v3 and containerd 2.0 refuse it too. "
        + "Push the image as a Docker schema 2 or OCI manifest instead.");
}
