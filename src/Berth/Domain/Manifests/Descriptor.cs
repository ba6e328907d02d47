namespace Berth.Domain.Manifests;

/// <summary>A validated reference from a manifest to a blob or a child manifest.</summary>
/// <param name="MediaType">The referenced content's media type: any non-empty string.</param>
/// <param name="Digest"><c>sha256:</c> + 64 or <c>sha512:</c> + 128 lowercase hex characters.</param>
/// <param name="Size">The referenced content's length in bytes, never negative.</param>
/// <param name="ArtifactType">The descriptor's own <c>artifactType</c>, when it carries one.</param>
/// <param name="Annotations">The descriptor's annotations, when it carries any.</param>
/// <param name="Platform">Set on the entries of an index that carry a <c>platform</c> object.</param>
/// <param name="Urls">Where a foreign (non-distributable) layer may be fetched from; the registry never fetches them.</param>
public sealed record Descriptor(
    string MediaType,
    string Digest,
    long Size,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    ManifestPlatform? Platform = null,
    IReadOnlyList<string>? Urls = null);
