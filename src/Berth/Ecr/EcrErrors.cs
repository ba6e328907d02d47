using Berth.Domain;

namespace Berth.Ecr;

/// <summary>The one table from domain error codes to ECR error shapes.</summary>
public static class EcrErrors
{
    // No discard arm: CS8509 (a warning, so an error here) fails the build when an ErrorCode has no row.
    // CS8524 only concerns values outside the enum's names, which the compiler answers with an exception anyway.
#pragma warning disable CS8524
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
        ErrorCode.RepositoryPolicyNotFound => "RepositoryPolicyNotFoundException",
        ErrorCode.RegistryPolicyNotFound => "RegistryPolicyNotFoundException",
        ErrorCode.ExclusionAlreadyExists => "ExclusionAlreadyExistsException",
        ErrorCode.ExclusionNotFound => "ExclusionNotFoundException",
        ErrorCode.TemplateAlreadyExists => "TemplateAlreadyExistsException",
        ErrorCode.TemplateNotFound => "TemplateNotFoundException",
        ErrorCode.Validation => "ValidationException",
        ErrorCode.PullThroughRuleAlreadyExists => "PullThroughCacheRuleAlreadyExistsException",
        ErrorCode.PullThroughRuleNotFound => "PullThroughCacheRuleNotFoundException",
        ErrorCode.UnsupportedUpstreamRegistry => "UnsupportedUpstreamRegistryException",
        ErrorCode.SecretNotFound => "SecretNotFoundException",
        ErrorCode.SecretInaccessible => "UnableToAccessSecretException",
        ErrorCode.SecretUndecryptable => "UnableToDecryptSecretValueException",
        ErrorCode.UpstreamImageUnavailable => "UnableToGetUpstreamImageException",
        ErrorCode.UpstreamLayerUnavailable => "UnableToGetUpstreamLayerException",
        ErrorCode.SigningConfigurationNotFound => "SigningConfigurationNotFoundException",
        ErrorCode.ScanNotFound => "ScanNotFoundException",
        ErrorCode.UnsupportedImageType => "UnsupportedImageTypeException",
        ErrorCode.ImageArchived => "ImageArchivedException",
    };
#pragma warning restore CS8524

    public static EcrError From(DomainError error) => new(TypeOf(error.Code), error.Message);
}
