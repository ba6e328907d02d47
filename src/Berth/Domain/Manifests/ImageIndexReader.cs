using System.Text.Json;

namespace Berth.Domain.Manifests;

/// <summary>Reads the multi-platform family: OCI image indexes and Docker manifest lists.</summary>
internal static class ImageIndexReader
{
    /// <summary>Fills <paramref name="header"/> (type, digest, size) with the index's child manifests and referrer fields.</summary>
    public static ManifestParseResult Read(JsonElement root, ParsedManifest header)
    {
        // A body that is both an index and a manifest would be read differently by different clients
        // (CVE-2021-41190), so it is refused rather than guessed at.
        if (ManifestJson.TryGetPresent(root, "config", out _) || ManifestJson.TryGetPresent(root, "layers", out _))
        {
            return Invalid($"an index ({header.MediaType}) must not have config or layers fields");
        }

        // Children may be of any media type (nested indexes, artifacts); whether they exist in the repository is
        // the manifest service's check, not the parser's.
        if (!ManifestJson.TryReadDescriptors(root, "manifests", out var manifests, out var error)
            || !ManifestJson.TryReadDescriptor(root, "subject", required: false, out var subject, out error)
            || !ManifestJson.TryReadOptionalString(root, "", "artifactType", out var artifactType, out error)
            || !ManifestJson.TryReadAnnotations(root, "", out var annotations, out error))
        {
            return Invalid(error);
        }

        return ManifestParseResult.Success(header with
        {
            Manifests = manifests,
            Subject = subject,
            ArtifactType = artifactType,
            Annotations = annotations,
        });
    }

    private static ManifestParseResult Invalid(string message) => ManifestParseResult.Failure(ManifestErrorKind.Invalid, message);
}
