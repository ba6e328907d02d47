namespace Berth.Domain.Images;

/// <summary>One stored manifest in one repository, with the facts ECR reports about it.</summary>
public sealed record ImageRecord(
    Digest Digest,
    string MediaType,
    long ManifestSize,
    long ImageSizeInBytes,
    DateTimeOffset PushedAt,
    string? ArtifactMediaType,
    string? ArtifactType,
    Digest? Subject,
    DateTimeOffset? LastPulledAt)
{
    /// <summary>The exact bytes received; null when a query asked for metadata only.</summary>
    public ReadOnlyMemory<byte>? Manifest { get; init; }

    /// <summary>The image's tags in ordinal order; filled by queries that ask for them.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>OCI annotations of the manifest as JSON text, kept for the referrers API.</summary>
    public string? AnnotationsJson { get; init; }

    public ImageStorageClass StorageClass { get; init; } = ImageStorageClass.Standard;

    public DateTimeOffset? LastArchivedAt { get; init; }

    public DateTimeOffset? LastActivatedAt { get; init; }
}

/// <summary>Where an image's content lives: standard (pullable) or archive (restore first).</summary>
public enum ImageStorageClass
{
    Standard,
    Archive,
}

/// <summary>Which images a listing includes by tag state (ECR's tagStatus).</summary>
public enum TagStatusFilter
{
    Any,
    Tagged,
    Untagged,
}

/// <summary>Which images a listing includes by storage state (ECR's imageStatus); ACTIVE by default.</summary>
public enum ImageStatusFilter
{
    Active,
    Archived,
    Activating,
    Any,
}

/// <summary>One ListImages entry: a tag with its digest, or an untagged digest.</summary>
public readonly record struct ImageListEntry(Digest Digest, string? Tag);

/// <summary>What a manifest points at: a blob (config, layer) or another manifest (index child).</summary>
public readonly record struct ImageReference(Digest Digest, ImageReferenceKind Kind);

/// <summary>The two kinds of thing a manifest references.</summary>
public enum ImageReferenceKind
{
    Blob = 0,
    Manifest = 1,
}

/// <summary>A blob as the metadata store knows it: verified content of a known size.</summary>
public sealed record BlobRecord(Digest Digest, long Size, DateTimeOffset CreatedAt);
