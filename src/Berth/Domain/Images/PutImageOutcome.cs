namespace Berth.Domain.Images;

/// <summary>What storing a manifest (and optionally tagging it) did, decided in one transaction.</summary>
public sealed record PutImageOutcome(PutImageStatus Status)
{
    /// <summary>For <see cref="PutImageStatus.TagMoved"/>, the image the tag left.</summary>
    public Digest? PreviousDigest { get; init; }

    /// <summary>For the Missing* statuses, what the repository lacks.</summary>
    public IReadOnlyList<Digest> Missing { get; init; } = [];
}

public enum PutImageStatus
{
    /// <summary>A new image was stored (and tagged when a tag was given).</summary>
    Created,

    /// <summary>The image existed; the tag was added to it.</summary>
    Tagged,

    /// <summary>The tag moved from another image, which stays, possibly untagged.</summary>
    TagMoved,

    /// <summary>The image existed with this tag (or with no tag requested): nothing changed.</summary>
    Unchanged,

    /// <summary>The tag points at another image and is immutable under the repository's settings.</summary>
    ImmutableTag,

    RepositoryNotFound,

    /// <summary>Config or layer blobs not present in the repository.</summary>
    MissingBlobs,

    /// <summary>Child manifests of an index not present in the repository.</summary>
    MissingManifests,
}

/// <summary>What deleting an image or a tag did.</summary>
public enum DeleteImageStatus
{
    Deleted,
    TagRemoved,
    NotFound,
    RepositoryNotFound,

    /// <summary>An index in the same repository still lists this manifest.</summary>
    ReferencedByIndex,
}
