using System.Text.Json;

namespace Berth.Domain.Manifests;

/// <summary>Reads the single-image family: OCI image manifests (images and artifacts) and Docker schema 2 manifests.</summary>
internal static class ImageManifestReader
{
    /// <summary>Fills <paramref name="header"/> (type, digest, size) with the manifest's config, layers and referrer fields.</summary>
    public static ManifestParseResult Read(JsonElement root, ParsedManifest header)
    {
        // A body that is both a manifest and an index would be read differently by different clients
        // (CVE-2021-41190), so it is refused rather than guessed at.
        if (ManifestJson.TryGetPresent(root, "manifests", out _))
        {
            return Invalid($"an image manifest ({header.MediaType}) must not have a manifests field");
        }

        // Layer and config media types are not checked against a list: OCI artifacts may use any type,
        // and Docker schema 2 clients also push OCI layer types.
        if (!ManifestJson.TryReadDescriptor(root, "config", required: true, out var config, out var error)
            || !ManifestJson.TryReadDescriptors(root, "layers", out var layers, out error)
            || !ManifestJson.TryReadDescriptor(root, "subject", required: false, out var subject, out error)
            || !ManifestJson.TryReadOptionalString(root, "", "artifactType", out var artifactType, out error)
            || !ManifestJson.TryReadAnnotations(root, "", out var annotations, out error))
        {
            return Invalid(error);
        }

        return ManifestParseResult.Success(header with
        {
            Config = config,
            Layers = layers,
            Subject = subject,
            ArtifactType = artifactType,
            Annotations = annotations,
        });
    }

    private static ManifestParseResult Invalid(string message) => ManifestParseResult.Failure(ManifestErrorKind.Invalid, message);
}
