namespace Berth.Domain.Manifests;

/// <summary>The manifest media types the registry recognises, grouped into image manifests, indexes and schema 1.</summary>
public static class ManifestMediaTypes
{
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker schema 1, recognised only so that a push can be refused with a clear message.</summary>
    public const string DockerSchema1Manifest = "application/vnd.docker.distribution.manifest.v1+json";

    /// <summary>Signed Docker schema 1, recognised only so that a push can be refused with a clear message.</summary>
    public const string DockerSchema1SignedManifest = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>True for a multi-platform manifest: an OCI index or a Docker manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>True for a single image manifest: OCI or Docker schema 2 (schema 1 is not one we accept).</summary>
    public static bool IsImageManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>True for either spelling of Docker schema 1.</summary>
    public static bool IsSchema1(string? mediaType) => mediaType is DockerSchema1Manifest or DockerSchema1SignedManifest;

    /// <summary>The constant for a recognised manifest media type, compared case-insensitively as media types are; otherwise null.</summary>
    public static string? FindKnown(ReadOnlySpan<char> mediaType)
    {
        ReadOnlySpan<string> known = [OciManifest, OciIndex, DockerManifest, DockerManifestList, DockerSchema1Manifest, DockerSchema1SignedManifest];
        foreach (var candidate in known)
        {
            if (mediaType.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }
}
