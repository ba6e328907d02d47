namespace Berth.Domain.Images;

/// <summary>
/// The writes a store performs for one put, in the same transaction it read <see cref="PutImageState"/> in, and the
/// outcome it then answers. A refused put (any status but Created, Tagged, TagMoved, Unchanged) writes nothing.
/// </summary>
public sealed record PutImagePlan(PutImageOutcome Outcome)
{
    /// <summary>Store the image (bytes and metadata, STANDARD, no tags) with one row per reference.</summary>
    public bool InsertImage { get; init; }

    /// <summary>
    /// The stored image is archived: make it STANDARD again and set its last-activated time to the push time, so
    /// pushing an archived image restores it (ECR's archive storage class).
    /// </summary>
    public bool RestoreFromArchive { get; init; }

    /// <summary>Point the tag at the image (a new tag, or a move) and count one more tag on the image.</summary>
    public bool PointTag { get; init; }

    /// <summary>When the tag moves: the image it leaves, which keeps existing with one tag fewer.</summary>
    public Digest? TagLeaves => Outcome.PreviousDigest;

    /// <summary>Whether executing the plan changes nothing.</summary>
    public bool WritesNothing => !InsertImage && !RestoreFromArchive && !PointTag;
}
