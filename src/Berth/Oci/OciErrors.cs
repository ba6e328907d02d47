using Berth.Domain;

namespace Berth.Oci;

/// <summary>The one table from domain error codes to OCI error codes and statuses.</summary>
public static class OciErrors
{
    // No discard arm: CS8509 (a warning, so an error here) fails the build when an ErrorCode has no row.
    // CS8524 only concerns values outside the enum's names, which the compiler answers with an exception anyway.
#pragma warning disable CS8524
    public static OciErrorCode Map(ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameter => OciErrorCode.Unsupported,
        ErrorCode.RepositoryNotFound => OciErrorCode.NameUnknown,
        ErrorCode.RepositoryAlreadyExists => OciErrorCode.Unsupported,
        ErrorCode.RepositoryNotEmpty => OciErrorCode.Unsupported,
        ErrorCode.RepositoryNameInvalid => OciErrorCode.NameInvalid,
        ErrorCode.InvalidTagParameter => OciErrorCode.Unsupported,
        ErrorCode.TooManyTags => OciErrorCode.Unsupported,
        ErrorCode.LimitExceeded => OciErrorCode.TooManyRequests,
        ErrorCode.AccessDenied => OciErrorCode.Denied,
        ErrorCode.Unauthorized => OciErrorCode.Unauthorized,
        ErrorCode.Unsupported => OciErrorCode.MethodNotAllowed,
        ErrorCode.ImageNotFound => OciErrorCode.ManifestUnknown,
        ErrorCode.ImageTagImmutable => OciErrorCode.TagInvalid,
        ErrorCode.ImageAlreadyExists => OciErrorCode.TagInvalid,
        ErrorCode.ImageDigestMismatch => OciErrorCode.DigestInvalid,
        ErrorCode.ImageReferencedByIndex => OciErrorCode.Denied,
        ErrorCode.ManifestInvalid => OciErrorCode.ManifestInvalid,
        ErrorCode.ManifestTooLarge => OciErrorCode.ManifestTooLarge,
        ErrorCode.ManifestBlobsNotFound => OciErrorCode.ManifestBlobUnknown,
        ErrorCode.ManifestChildrenNotFound => OciErrorCode.ManifestChildUnknown,
        ErrorCode.TagInvalid => OciErrorCode.TagInvalid,
        ErrorCode.BlobNotFound => OciErrorCode.BlobUnknown,
        ErrorCode.DigestInvalid => OciErrorCode.DigestInvalid,
        ErrorCode.BlobDigestMismatch => OciErrorCode.DigestInvalid,
        ErrorCode.SizeInvalid => OciErrorCode.SizeInvalid,
        ErrorCode.UploadNotFound => OciErrorCode.BlobUploadUnknown,
        ErrorCode.UploadRangeInvalid => OciErrorCode.BlobUploadRangeInvalid,
        ErrorCode.UploadInvalid => OciErrorCode.BlobUploadInvalid,
        ErrorCode.UploadEmpty => OciErrorCode.BlobUploadInvalid,
        ErrorCode.UploadPartTooSmall => OciErrorCode.BlobUploadInvalid,
        ErrorCode.LayerAlreadyExists => OciErrorCode.BlobUploadInvalid,
        ErrorCode.LayerInaccessible => OciErrorCode.BlobUnknown,
        ErrorCode.LifecyclePolicyNotFound => OciErrorCode.Unsupported,
        ErrorCode.LifecyclePreviewNotFound => OciErrorCode.Unsupported,
        ErrorCode.LifecyclePreviewInProgress => OciErrorCode.Unsupported,
        ErrorCode.RepositoryPolicyNotFound => OciErrorCode.Unsupported,
        ErrorCode.RegistryPolicyNotFound => OciErrorCode.Unsupported,
        ErrorCode.ExclusionAlreadyExists => OciErrorCode.Unsupported,
        ErrorCode.ExclusionNotFound => OciErrorCode.Unsupported,
        ErrorCode.TemplateAlreadyExists => OciErrorCode.Unsupported,
        ErrorCode.TemplateNotFound => OciErrorCode.Unsupported,
        ErrorCode.Validation => OciErrorCode.Unsupported,
        ErrorCode.PullThroughRuleAlreadyExists => OciErrorCode.Unsupported,
        ErrorCode.PullThroughRuleNotFound => OciErrorCode.Unsupported,
        ErrorCode.UnsupportedUpstreamRegistry => OciErrorCode.Unsupported,
        ErrorCode.SecretNotFound => OciErrorCode.Unsupported,
        ErrorCode.SecretInaccessible => OciErrorCode.Unsupported,
        ErrorCode.SecretUndecryptable => OciErrorCode.Unsupported,
        ErrorCode.UpstreamImageUnavailable => OciErrorCode.ManifestUnknown,
        ErrorCode.UpstreamLayerUnavailable => OciErrorCode.BlobUnknown,
        ErrorCode.SigningConfigurationNotFound => OciErrorCode.Unsupported,
        ErrorCode.ScanNotFound => OciErrorCode.Unsupported,
        ErrorCode.UnsupportedImageType => OciErrorCode.Unsupported,
        ErrorCode.ImageArchived => OciErrorCode.Unsupported,
    };
#pragma warning restore CS8524

    public static OciError From(DomainError error) => Map(error.Code).With(error.Message);
}
