using Berth.Domain.Manifests;

namespace Berth.Domain.Scanning;

/// <summary>Which manifests are container images the scanner can read: image manifests whose config is an image config.</summary>
public static class ScannableImage
{
    /// <summary>ECR's refusal for anything else (indexes, artifacts).</summary>
    public const string UnsupportedMessage = "The operation is not supported for this image type. Only container images (an image manifest with an image config) can be scanned.";

    /// <summary>The layers to read, in order; null when the manifest is not a container image.</summary>
    public static IReadOnlyList<Digest>? LayersOf(ReadOnlyMemory<byte> manifest, string mediaType)
    {
        var parsed = ManifestParser.Parse(manifest, mediaType);
        if (!parsed.IsSuccess || parsed.Manifest.IsIndex
            || parsed.Manifest.ConfigMediaType is not ("application/vnd.oci.image.config.v1+json" or "application/vnd.docker.container.image.v1+json"))
        {
            return null;
        }

        var layers = new List<Digest>(parsed.Manifest.Layers.Count);
        foreach (var layer in parsed.Manifest.Layers)
        {
            if (!Digest.TryParse(layer.Digest, out var digest))
            {
                return null;
            }

            layers.Add(digest);
        }

        return layers;
    }
}
