namespace Berth.Domain.Images;

/// <summary>An image as a caller names it (ECR's ImageIdentifier): a tag, a digest, or both, unvalidated.</summary>
public readonly record struct ImageId(string? Digest, string? Tag);

/// <summary>Why one item of a batch call failed (ECR's ImageFailureCode).</summary>
public enum ImageFailureKind
{
    InvalidImageDigest,
    InvalidImageTag,
    ImageTagDoesNotMatchDigest,
    ImageNotFound,
    MissingDigestAndTag,
    ImageReferencedByManifestList,
    ImageInaccessible,
}

/// <summary>One failed item of a batch call.</summary>
public sealed record ImageFailure(ImageId Id, ImageFailureKind Kind, string Reason);

/// <summary>An image a batch call found: the record (with bytes) and the tag it was asked for by, if any.</summary>
public sealed record ResolvedImage(ImageId Id, ImageRecord Image, string? Tag);
