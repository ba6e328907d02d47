namespace Berth.Domain.Manifests;

/// <summary>The platform an index entry targets, from its <c>platform</c> object (<c>os.features</c> and <c>features</c> are not kept).</summary>
public sealed record ManifestPlatform(string Architecture, string Os, string? Variant = null, string? OsVersion = null);
