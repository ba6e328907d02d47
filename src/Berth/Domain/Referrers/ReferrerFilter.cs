using Berth.Domain.Images;

namespace Berth.Domain.Referrers;

/// <summary>Which referrers a listing includes: any of the artifact types (none given: every type) and a storage state.</summary>
public sealed record ReferrerFilter(IReadOnlyList<string>? ArtifactTypes, ImageStatusFilter Status)
{
    /// <summary>Every referrer, archived or not (the OCI referrers API).</summary>
    public static readonly ReferrerFilter All = new(null, ImageStatusFilter.Any);

    /// <summary>OCI's artifactType query: one type, any storage state.</summary>
    public static ReferrerFilter OfArtifactType(string artifactType) => new([artifactType], ImageStatusFilter.Any);

    public bool Matches(ImageRecord referrer)
    {
        var archived = referrer.StorageClass == ImageStorageClass.Archive;
        var statusMatches = Status switch
        {
            ImageStatusFilter.Any => true,
            ImageStatusFilter.Archived => archived,
            // A restore completes at once here, so no image is ever ACTIVATING.
            ImageStatusFilter.Activating => false,
            _ => !archived,
        };
        if (!statusMatches)
        {
            return false;
        }

        if (ArtifactTypes is null || ArtifactTypes.Count == 0)
        {
            return true;
        }

        foreach (var type in ArtifactTypes)
        {
            if (type == referrer.ArtifactType)
            {
                return true;
            }
        }

        return false;
    }
}
