using Berth.Domain;

namespace Berth.Oci;

/// <summary>The one table from domain error codes to OCI error codes and statuses.</summary>
public static class OciErrors
{
    public static (string Code, int Status) Map(ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameter => ("UNSUPPORTED", 400),
        ErrorCode.RepositoryNotFound => ("NAME_UNKNOWN", 404),
        ErrorCode.RepositoryAlreadyExists => ("UNSUPPORTED", 400),
        ErrorCode.RepositoryNotEmpty => ("UNSUPPORTED", 400),
        ErrorCode.RepositoryNameInvalid => ("NAME_INVALID", 400),
        ErrorCode.InvalidTagParameter => ("UNSUPPORTED", 400),
        ErrorCode.TooManyTags => ("UNSUPPORTED", 400),
        ErrorCode.LimitExceeded => ("TOOMANYREQUESTS", 429),
        ErrorCode.AccessDenied => ("DENIED", 403),
        ErrorCode.Unauthorized => ("UNAUTHORIZED", 401),
        ErrorCode.Unsupported => ("UNSUPPORTED", 405),
        ErrorCode.ImageNotFound => ("MANIFEST_UNKNOWN", 404),
        ErrorCode.ImageTagImmutable => ("TAG_INVALID", 400),
        ErrorCode.ImageAlreadyExists => ("TAG_INVALID", 400),
        ErrorCode.ImageDigestMismatch => ("DIGEST_INVALID", 400),
        ErrorCode.ImageReferencedByIndex => ("DENIED", 403),
        ErrorCode.ManifestInvalid => ("MANIFEST_INVALID", 400),
        ErrorCode.ManifestTooLarge => ("MANIFEST_INVALID", 413),
        ErrorCode.ManifestBlobsNotFound => ("MANIFEST_BLOB_UNKNOWN", 400),
        ErrorCode.ManifestChildrenNotFound => ("MANIFEST_UNKNOWN", 400),
        ErrorCode.TagInvalid => ("TAG_INVALID", 400),
        ErrorCode.BlobNotFound => ("BLOB_UNKNOWN", 404),
        ErrorCode.DigestInvalid => ("DIGEST_INVALID", 400),
        ErrorCode.BlobDigestMismatch => ("DIGEST_INVALID", 400),
        ErrorCode.SizeInvalid => ("SIZE_INVALID", 400),
        ErrorCode.UploadNotFound => ("BLOB_UPLOAD_UNKNOWN", 404),
        ErrorCode.UploadRangeInvalid => ("BLOB_UPLOAD_INVALID", 416),
        ErrorCode.UploadInvalid => ("BLOB_UPLOAD_INVALID", 400),
        ErrorCode.UploadEmpty => ("BLOB_UPLOAD_INVALID", 400),
        ErrorCode.UploadPartTooSmall => ("BLOB_UPLOAD_INVALID", 400),
        ErrorCode.LayerAlreadyExists => ("BLOB_UPLOAD_INVALID", 400),
        ErrorCode.LayerInaccessible => ("BLOB_UNKNOWN", 404),
        ErrorCode.LifecyclePolicyNotFound => ("UNSUPPORTED", 400),
        ErrorCode.LifecyclePreviewNotFound => ("UNSUPPORTED", 400),
        ErrorCode.LifecyclePreviewInProgress => ("UNSUPPORTED", 400),
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Every domain error needs an OCI error code."),
    };

    public static OciError From(DomainError error)
    {
        var (code, status) = Map(error.Code);
        return new OciError(code, error.Message, status);
    }
}
