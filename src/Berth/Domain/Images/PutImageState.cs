namespace Berth.Domain.Images;

/// <summary>
/// What a store reads, inside the put's transaction and before any write, for <see cref="PutImagePlanner"/> to decide.
/// </summary>
public sealed record PutImageState
{
    /// <summary>False when the repository does not exist; the other facts are then ignored.</summary>
    public required bool RepositoryExists { get; init; }

    public TagMutability Mutability { get; init; }

    public IReadOnlyList<string> MutabilityExclusionFilters { get; init; } = [];

    /// <summary>
    /// The references, in the order given, that the repository lacks: a blob reference counts as present when the
    /// blob is linked to the repository, a manifest reference when the repository stores that image.
    /// </summary>
    public IReadOnlyList<ImageReference> MissingReferences { get; init; } = [];

    /// <summary>The storage class of the image when the repository already stores it (same digest), else null.</summary>
    public ImageStorageClass? StoredImage { get; init; }

    /// <summary>The image the requested tag points at now; null when no tag was requested or it is new.</summary>
    public Digest? TagTarget { get; init; }
}
