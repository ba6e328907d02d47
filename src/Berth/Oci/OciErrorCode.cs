namespace Berth.Oci;

/// <summary>
/// An OCI distribution error code with the HTTP status Berth answers it with. The named values below are the only
/// codes /v2/ answers: a handler or the domain table picks one and adds a message.
/// </summary>
public readonly record struct OciErrorCode(string Code, int Status)
{
    public static readonly OciErrorCode BlobUnknown = new("BLOB_UNKNOWN", 404);

    /// <summary>A byte range past the end of a blob (the spec has no code of its own for it).</summary>
    public static readonly OciErrorCode BlobRangeNotSatisfiable = new("BLOB_UNKNOWN", 416);

    public static readonly OciErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", 404);
    public static readonly OciErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", 400);

    /// <summary>A chunk that does not start where the upload ends.</summary>
    public static readonly OciErrorCode BlobUploadRangeInvalid = new("BLOB_UPLOAD_INVALID", 416);

    public static readonly OciErrorCode DigestInvalid = new("DIGEST_INVALID", 400);
    public static readonly OciErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", 400);
    public static readonly OciErrorCode ManifestInvalid = new("MANIFEST_INVALID", 400);
    public static readonly OciErrorCode ManifestTooLarge = new("MANIFEST_INVALID", 413);
    public static readonly OciErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", 404);

    /// <summary>An index names child manifests the repository does not have: the push is wrong, not the URL.</summary>
    public static readonly OciErrorCode ManifestChildUnknown = new("MANIFEST_UNKNOWN", 400);

    public static readonly OciErrorCode NameInvalid = new("NAME_INVALID", 400);
    public static readonly OciErrorCode NameUnknown = new("NAME_UNKNOWN", 404);
    public static readonly OciErrorCode SizeInvalid = new("SIZE_INVALID", 400);
    public static readonly OciErrorCode TagInvalid = new("TAG_INVALID", 400);
    public static readonly OciErrorCode PaginationNumberInvalid = new("PAGINATION_NUMBER_INVALID", 400);
    public static readonly OciErrorCode Unauthorized = new("UNAUTHORIZED", 401);
    public static readonly OciErrorCode Denied = new("DENIED", 403);
    public static readonly OciErrorCode TooManyRequests = new("TOOMANYREQUESTS", 429);

    /// <summary>A request the registry understands but refuses (an ECR-only condition with no OCI code).</summary>
    public static readonly OciErrorCode Unsupported = new("UNSUPPORTED", 400);

    /// <summary>A method the endpoint does not support.</summary>
    public static readonly OciErrorCode MethodNotAllowed = new("UNSUPPORTED", 405);

    /// <summary>A path that is no endpoint of the API.</summary>
    public static readonly OciErrorCode NotFound = new("NOT_FOUND", 404);

    /// <summary>A write refused because the registry's disk is full (HTTP's Insufficient Storage; OCI has no code for it).</summary>
    public static readonly OciErrorCode StorageFull = new("UNKNOWN", 507);

    /// <summary>An unexpected failure inside Berth (Distribution's code for it).</summary>
    public static readonly OciErrorCode Unknown = new("UNKNOWN", 500);

    public OciError With(string message) => new(Code, message, Status);
}
