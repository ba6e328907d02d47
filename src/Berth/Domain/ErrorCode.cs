namespace Berth.Domain;

/// <summary>The closed set of expected failures the domain reports; each protocol maps every value in one table.</summary>
public enum ErrorCode
{
    InvalidParameter,
    RepositoryNotFound,
    RepositoryAlreadyExists,
    RepositoryNotEmpty,
    RepositoryNameInvalid,
    InvalidTagParameter,
    TooManyTags,
    LimitExceeded,
    AccessDenied,
    Unauthorized,
    Unsupported,

    /// <summary>No manifest with that digest or tag in the repository.</summary>
    ImageNotFound,

    /// <summary>The tag already points elsewhere and is immutable.</summary>
    ImageTagImmutable,

    /// <summary>The manifest and tag are already stored exactly so (ECR's PutImage refuses a no-op).</summary>
    ImageAlreadyExists,

    /// <summary>A manifest's bytes do not hash to the digest it was pushed under.</summary>
    ImageDigestMismatch,

    /// <summary>An index in the repository still lists the manifest.</summary>
    ImageReferencedByIndex,

    ManifestInvalid,
    ManifestTooLarge,

    /// <summary>A manifest names config or layer blobs the repository does not have.</summary>
    ManifestBlobsNotFound,

    /// <summary>An index names child manifests the repository does not have.</summary>
    ManifestChildrenNotFound,

    /// <summary>A malformed tag in a reference.</summary>
    TagInvalid,

    BlobNotFound,
    DigestInvalid,

    /// <summary>Uploaded content does not hash to the digest given at completion.</summary>
    BlobDigestMismatch,

    /// <summary>Content length differs from what the client declared.</summary>
    SizeInvalid,

    UploadNotFound,

    /// <summary>A chunk does not start where the upload currently ends.</summary>
    UploadRangeInvalid,

    /// <summary>A malformed upload request (bad Content-Range, missing digest).</summary>
    UploadInvalid,

    /// <summary>CompleteLayerUpload on an upload that received no parts.</summary>
    UploadEmpty,

    /// <summary>A part other than the last was smaller than the minimum part size.</summary>
    UploadPartTooSmall,

    /// <summary>The completed layer was already in the repository (the upload is consumed; clients treat it as success).</summary>
    LayerAlreadyExists,

    /// <summary>The blob is in the repository but no image references it, so it may be collected at any time.</summary>
    LayerInaccessible,

    LifecyclePolicyNotFound,
    LifecyclePreviewNotFound,
    LifecyclePreviewInProgress,

    /// <summary>GetRepositoryPolicy or DeleteRepositoryPolicy on a repository without one.</summary>
    RepositoryPolicyNotFound,

    /// <summary>GetRegistryPolicy or DeleteRegistryPolicy on a registry without one.</summary>
    RegistryPolicyNotFound,

    /// <summary>RegisterPullTimeUpdateExclusion of a principal already excluded.</summary>
    ExclusionAlreadyExists,

    /// <summary>DeregisterPullTimeUpdateExclusion of a principal not excluded.</summary>
    ExclusionNotFound,

    /// <summary>CreateRepositoryCreationTemplate of a prefix that already has one.</summary>
    TemplateAlreadyExists,

    /// <summary>Update or delete of a repository creation template that does not exist.</summary>
    TemplateNotFound,

    /// <summary>A constraint of a newer operation that declares ValidationException (a creation template's appliedFor or role).</summary>
    Validation,

    /// <summary>A pull-through cache rule with that ECR repository prefix already exists.</summary>
    PullThroughRuleAlreadyExists,

    /// <summary>No pull-through cache rule has that ECR repository prefix.</summary>
    PullThroughRuleNotFound,

    /// <summary>The upstream registry kind or URL is not one a pull-through rule can use.</summary>
    UnsupportedUpstreamRegistry,

    /// <summary>A credential ARN names a secret that does not exist.</summary>
    SecretNotFound,

    /// <summary>A credential ARN names a secret this registry may not read, or one without a username and access token.</summary>
    SecretInaccessible,

    /// <summary>A stored secret does not open with this server's secrets key.</summary>
    SecretUndecryptable,

    /// <summary>A pull-through pull needed the upstream's manifest and could not get it.</summary>
    UpstreamImageUnavailable,

    /// <summary>A pull-through pull needed the upstream's blob and could not get it.</summary>
    UpstreamLayerUnavailable,

    /// <summary>GetSigningConfiguration or DeleteSigningConfiguration on a registry without one.</summary>
    SigningConfigurationNotFound,

    /// <summary>DescribeImageScanFindings of an image never scanned.</summary>
    ScanNotFound,

    /// <summary>StartImageScan of a manifest that is not a container image (an index, an artifact).</summary>
    UnsupportedImageType,

    /// <summary>An operation that needs the image's content on an archived image.</summary>
    ImageArchived,
}
