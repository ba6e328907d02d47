namespace Berth.Domain.Manifests;

/// <summary>What the registry needs to know about a pushed manifest; the manifest bytes themselves are stored untouched.</summary>
public sealed record ParsedManifest
{
    /// <summary>The effective media type: the <c>mediaType</c> field, else the Content-Type, else inferred from the structure.</summary>
    public required string MediaType { get; init; }

    /// <summary>True when the JSON itself has a <c>mediaType</c> field (ECR then does not require imageManifestMediaType).</summary>
    public required bool DeclaresMediaType { get; init; }

    /// <summary><c>sha256:</c> + lowercase hex of the exact bytes as pushed.</summary>
    public required string Digest { get; init; }

    /// <summary>Length of the exact bytes as pushed.</summary>
    public required long Size { get; init; }

    /// <summary>True for an OCI index or Docker manifest list; then <see cref="Manifests"/> is set and there is no config.</summary>
    public required bool IsIndex { get; init; }

    /// <summary>The config blob of an image manifest; null for an index.</summary>
    public Descriptor? Config { get; init; }

    /// <summary>The layer blobs of an image manifest, possibly empty (artifacts); empty for an index.</summary>
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    /// <summary>The child manifests of an index, with their platforms when given; empty for an image manifest.</summary>
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    /// <summary>The manifest this one refers to (OCI referrers); it need not exist in the repository.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>The top-level <c>artifactType</c> field exactly as written, if any.</summary>
    public string? ArtifactType { get; init; }

    /// <summary>The top-level annotations, if any.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// The artifact type the referrers API reports: <c>artifactType</c>, else (image manifests only) the config
    /// media type; null for an index without <c>artifactType</c>.
    /// </summary>
    public string? EffectiveArtifactType => ArtifactType ?? (IsIndex ? null : Config?.MediaType);

    /// <summary>ECR's <c>artifactMediaType</c>: the config descriptor's media type; null for an index.</summary>
    public string? ConfigMediaType => Config?.MediaType;

    /// <summary>
    /// ECR's <c>imageSizeInBytes</c> for a single-platform image: the sum of <c>layers[].size</c> (compressed, as
    /// pushed). The config blob is deliberately not counted, as ECR documents only the layers. For an index this is 0,
    /// because the size depends on the children: use <see cref="ComputeIndexSize"/> over their sizes.
    /// </summary>
    public long ImageSizeInBytes
    {
        get
        {
            long total = 0;
            for (var i = 0; i < Layers.Count; i++)
            {
                // Saturate rather than wrap: sizes are client-supplied and a sum past long.MaxValue is nonsense anyway.
                var size = Layers[i].Size;
                total = size > long.MaxValue - total ? long.MaxValue : total + size;
            }

            return total;
        }
    }

    /// <summary>ECR's <c>imageSizeInBytes</c> for an index or manifest list: the largest child image size, not the sum; 0 with no children.</summary>
    public static long ComputeIndexSize(IEnumerable<long> childSizes)
    {
        long max = 0;
        foreach (var size in childSizes)
        {
            max = Math.Max(max, size);
        }

        return max;
    }
}
