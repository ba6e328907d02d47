namespace Berth.Domain.Images;

/// <summary>
/// Decides what storing a manifest (and optionally tagging it) does, from the state a store read in its transaction:
/// which outcome, and which writes. Pure, so every metadata backend applies the same rules (tag immutability with
/// exclusion filters, archive restore on re-push, tag counts) and only executes the plan.
/// </summary>
public static class PutImagePlanner
{
    public static PutImagePlan Plan(Digest digest, string? tag, PutImageState state)
    {
        if (!state.RepositoryExists)
        {
            return Refused(new PutImageOutcome(PutImageStatus.RepositoryNotFound));
        }

        // Missing blobs are reported before missing child manifests: a client uploads blobs first.
        if (Missing(state.MissingReferences, ImageReferenceKind.Blob) is { } blobs)
        {
            return Refused(new PutImageOutcome(PutImageStatus.MissingBlobs) { Missing = blobs });
        }

        if (Missing(state.MissingReferences, ImageReferenceKind.Manifest) is { } manifests)
        {
            return Refused(new PutImageOutcome(PutImageStatus.MissingManifests) { Missing = manifests });
        }

        // A tag already on this image is no move: immutability only guards a tag that points elsewhere.
        var moves = tag is not null && state.TagTarget is { } target && target != digest;
        if (moves && TagMutabilityMatcher.IsImmutable(state.Mutability, state.MutabilityExclusionFilters, tag!))
        {
            return Refused(new PutImageOutcome(PutImageStatus.ImmutableTag));
        }

        var previous = moves ? state.TagTarget : null;
        var pointTag = tag is not null && state.TagTarget != digest;
        var stored = state.StoredImage is not null;
        var status = previous is not null ? PutImageStatus.TagMoved
            : !stored ? PutImageStatus.Created
            : pointTag ? PutImageStatus.Tagged
            : PutImageStatus.Unchanged;
        return new PutImagePlan(new PutImageOutcome(status) { PreviousDigest = previous })
        {
            InsertImage = !stored,
            RestoreFromArchive = state.StoredImage == ImageStorageClass.Archive,
            PointTag = pointTag,
        };
    }

    private static PutImagePlan Refused(PutImageOutcome outcome) => new(outcome);

    private static List<Digest>? Missing(IReadOnlyList<ImageReference> references, ImageReferenceKind kind)
    {
        List<Digest>? missing = null;
        for (var i = 0; i < references.Count; i++)
        {
            if (references[i].Kind == kind)
            {
                (missing ??= []).Add(references[i].Digest);
            }
        }

        return missing;
    }
}
