using Berth.Domain;

namespace Berth.Ecr;

/// <summary>The one table from domain error codes to ECR error shapes.</summary>
public static class EcrErrors
{
    public static string TypeOf(ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameter => "InvalidParameterException",
        ErrorCode.RepositoryNotFound => "RepositoryNotFoundException",
        ErrorCode.RepositoryAlreadyExists => "RepositoryAlreadyExistsException",
        ErrorCode.RepositoryNotEmpty => "RepositoryNotEmptyException",
        ErrorCode.InvalidTagParameter => "InvalidTagParameterException",
        ErrorCode.TooManyTags => "TooManyTagsException",
        ErrorCode.LimitExceeded => "LimitExceededException",
        ErrorCode.AccessDenied => "AccessDeniedException",
        ErrorCode.Unsupported => "UnsupportedOperationException",
        ErrorCode.RepositoryNameInvalid => "InvalidParameterException",
        ErrorCode.Unauthorized => "AccessDeniedException",
        ErrorCode.ImageNotFound => "ImageNotFoundException",
        ErrorCode.ImageTagImmutable => "ImageTagAlreadyExistsException",
        ErrorCode.ImageAlreadyExists => "ImageAlreadyExistsException",
        ErrorCode.ImageDigestMismatch => "ImageDigestDoesNotMatchException",
        ErrorCode.ImageReferencedByIndex => "InvalidParameterException",
        ErrorCode.ManifestInvalid => "InvalidParameterException",
        ErrorCode.ManifestTooLarge => "InvalidParameterException",
        ErrorCode.ManifestBlobsNotFound => "LayersNotFoundException",
        ErrorCode.ManifestChildrenNotFound => "ReferencedImagesNotFoundException",
        ErrorCode.TagInvalid => "InvalidParameterException",
        ErrorCode.BlobNotFound => "LayersNotFoundException",
        ErrorCode.DigestInvalid => "InvalidParameterException",
        ErrorCode.BlobDigestMismatch => "InvalidLayerException",
        ErrorCode.SizeInvalid => "InvalidParameterException",
        ErrorCode.UploadNotFound => "UploadNotFoundException",
        ErrorCode.UploadRangeInvalid => "InvalidLayerPartException",
        ErrorCode.UploadInvalid => "InvalidParameterException",
        ErrorCode.UploadEmpty => "EmptyUploadException",
        ErrorCode.UploadPartTooSmall => "LayerPartTooSmallException",
        ErrorCode.LayerAlreadyExists => "LayerAlreadyExistsException",
        ErrorCode.LayerInaccessible => "LayerInaccessibleException",
        ErrorCode.LifecyclePolicyNotFound => "LifecyclePolicyNotFoundException",
        ErrorCode.LifecyclePreviewNotFound => "LifecyclePolicyPreviewNotFoundException",
        ErrorCode.LifecyclePreviewInProgress => "LifecyclePolicyPreviewInProgressException",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Every domain error needs an ECR error shape."),
    };

    public static EcrError From(DomainError error) => new(TypeOf(error.Code), error.Message);
}
