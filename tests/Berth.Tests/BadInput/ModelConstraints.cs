namespace Berth.Tests.BadInput;

/// <summary>The JSON type a member's shape has in the ECR model.</summary>
public enum MemberType
{
    String,
    Blob,
    Integer,
    Long,
    Boolean,
    List,
    Structure,
}

/// <summary>
/// One member's constraints, copied from the ECR model (botocore 1.43.11) for the operations Berth implements. The
/// path is the one ECR's messages use (<c>imageIds.1.member.imageTag</c>); <see cref="BadPattern"/> is a value of the
/// right length that the member's pattern refuses.
/// </summary>
public sealed record MemberConstraint(
    string Operation, string Path, MemberType Type, bool Required = false, long? Min = null, long? Max = null, string? BadPattern = null, bool Enum = false);

/// <summary>The table the generated cases come from; kept apart from the server's model so the two check each other.</summary>
public static class ModelConstraints
{
    /// <summary>The implemented operations whose input has <c>registryId</c> and a required <c>repositoryName</c>.</summary>
    public static readonly string[] RepositoryOperations =
    [
        "BatchCheckLayerAvailability", "BatchDeleteImage", "BatchGetImage", "CompleteLayerUpload", "CreateRepository",
        "DeleteLifecyclePolicy", "DeleteRepository", "DescribeImageReplicationStatus", "DescribeImages", "GetDownloadUrlForLayer",
        "GetLifecyclePolicy", "GetLifecyclePolicyPreview", "InitiateLayerUpload", "ListImageReferrers", "ListImages", "PutImage",
        "PutImageScanningConfiguration", "PutImageTagMutability", "PutLifecyclePolicy", "StartLifecyclePolicyPreview",
        "UpdateImageStorageClass", "UploadLayerPart",
    ];

    private const string NamePattern = "Upper_Case";

    public static IEnumerable<MemberConstraint> All()
    {
        foreach (var operation in RepositoryOperations)
        {
            yield return new(operation, "registryId", MemberType.String, BadPattern: "12345678901x");
            yield return new(operation, "repositoryName", MemberType.String, Required: true, Min: 2, Max: 256, BadPattern: NamePattern);
        }

        foreach (var constraint in Specific)
        {
            yield return constraint;
        }
    }

    private static readonly MemberConstraint[] Specific =
    [
        new("BatchCheckLayerAvailability", "layerDigests", MemberType.List, Required: true, Min: 1, Max: 100),
        new("BatchCheckLayerAvailability", "layerDigests.1.member", MemberType.String, Max: 1000),

        new("BatchDeleteImage", "imageIds", MemberType.List, Required: true, Min: 1, Max: 100),
        new("BatchDeleteImage", "imageIds.1.member", MemberType.Structure),
        new("BatchDeleteImage", "imageIds.1.member.imageTag", MemberType.String, Min: 1, Max: 300),
        new("BatchDeleteImage", "imageIds.1.member.imageDigest", MemberType.String),

        new("BatchGetImage", "imageIds", MemberType.List, Required: true, Min: 1, Max: 100),
        new("BatchGetImage", "imageIds.1.member.imageTag", MemberType.String, Min: 1, Max: 300),
        new("BatchGetImage", "acceptedMediaTypes", MemberType.List, Min: 1, Max: 100),
        new("BatchGetImage", "acceptedMediaTypes.1.member", MemberType.String),

        new("CompleteLayerUpload", "uploadId", MemberType.String, Required: true, BadPattern: "not-an-upload-id"),
        new("CompleteLayerUpload", "layerDigests", MemberType.List, Required: true, Min: 1, Max: 100),
        new("CompleteLayerUpload", "layerDigests.1.member", MemberType.String, BadPattern: "sha256-without-colon"),

        new("CreateRepository", "tags", MemberType.List),
        new("CreateRepository", "tags.1.member.Key", MemberType.String, Required: true),
        new("CreateRepository", "tags.1.member.Value", MemberType.String, Required: true),
        new("CreateRepository", "imageTagMutability", MemberType.String, Enum: true),
        new("CreateRepository", "imageTagMutabilityExclusionFilters", MemberType.List, Min: 1, Max: 5),
        new("CreateRepository", "imageTagMutabilityExclusionFilters.1.member.filterType", MemberType.String, Required: true, Enum: true),
        new("CreateRepository", "imageTagMutabilityExclusionFilters.1.member.filter", MemberType.String, Required: true, Min: 1, Max: 128, BadPattern: "no spaces"),
        new("CreateRepository", "imageScanningConfiguration", MemberType.Structure),
        new("CreateRepository", "imageScanningConfiguration.scanOnPush", MemberType.Boolean),
        new("CreateRepository", "encryptionConfiguration", MemberType.Structure),
        new("CreateRepository", "encryptionConfiguration.encryptionType", MemberType.String, Required: true, Enum: true),
        new("CreateRepository", "encryptionConfiguration.kmsKey", MemberType.String, Min: 1, Max: 2048),

        new("DeleteRepository", "force", MemberType.Boolean),

        new("DescribeImageReplicationStatus", "imageId", MemberType.Structure, Required: true),
        new("DescribeImageReplicationStatus", "imageId.imageTag", MemberType.String, Min: 1, Max: 300),

        new("DescribeImages", "imageIds", MemberType.List, Min: 1, Max: 100),
        new("DescribeImages", "imageIds.1.member.imageTag", MemberType.String, Min: 1, Max: 300),
        new("DescribeImages", "nextToken", MemberType.String),
        new("DescribeImages", "maxResults", MemberType.Integer, Min: 1, Max: 1000),
        new("DescribeImages", "filter", MemberType.Structure),
        new("DescribeImages", "filter.tagStatus", MemberType.String, Enum: true),
        new("DescribeImages", "filter.imageStatus", MemberType.String, Enum: true),

        new("DescribeRepositories", "registryId", MemberType.String, BadPattern: "1234"),
        new("DescribeRepositories", "repositoryNames", MemberType.List, Min: 1, Max: 100),
        new("DescribeRepositories", "repositoryNames.1.member", MemberType.String, Min: 2, Max: 256, BadPattern: NamePattern),
        new("DescribeRepositories", "nextToken", MemberType.String),
        new("DescribeRepositories", "maxResults", MemberType.Integer, Min: 1, Max: 1000),

        new("GetAuthorizationToken", "registryIds", MemberType.List, Min: 1, Max: 10),
        new("GetAuthorizationToken", "registryIds.1.member", MemberType.String, BadPattern: "account-one!"),

        new("GetDownloadUrlForLayer", "layerDigest", MemberType.String, Required: true, BadPattern: "sha256-without-colon"),

        new("GetLifecyclePolicyPreview", "imageIds", MemberType.List, Min: 1, Max: 100),
        new("GetLifecyclePolicyPreview", "maxResults", MemberType.Integer, Min: 1, Max: 100),
        new("GetLifecyclePolicyPreview", "filter.tagStatus", MemberType.String, Enum: true),

        new("ListImageReferrers", "subjectId", MemberType.Structure, Required: true),
        new("ListImageReferrers", "subjectId.imageDigest", MemberType.String, Required: true),
        new("ListImageReferrers", "filter.artifactTypes", MemberType.List, Max: 5),
        new("ListImageReferrers", "filter.artifactStatus", MemberType.String, Enum: true),
        new("ListImageReferrers", "maxResults", MemberType.Integer, Min: 1, Max: 50),

        new("ListImages", "nextToken", MemberType.String),
        new("ListImages", "maxResults", MemberType.Integer, Min: 1, Max: 1000),
        new("ListImages", "filter.tagStatus", MemberType.String, Enum: true),
        new("ListImages", "filter.imageStatus", MemberType.String, Enum: true),

        new("ListTagsForResource", "resourceArn", MemberType.String, Required: true),

        new("PutImage", "imageManifest", MemberType.String, Required: true, Min: 1, Max: 4_194_304),
        new("PutImage", "imageManifestMediaType", MemberType.String),
        new("PutImage", "imageTag", MemberType.String, Min: 1, Max: 300),
        new("PutImage", "imageDigest", MemberType.String),

        new("PutImageScanningConfiguration", "imageScanningConfiguration", MemberType.Structure, Required: true),
        new("PutImageScanningConfiguration", "imageScanningConfiguration.scanOnPush", MemberType.Boolean),

        new("PutImageTagMutability", "imageTagMutability", MemberType.String, Required: true, Enum: true),
        new("PutImageTagMutability", "imageTagMutabilityExclusionFilters", MemberType.List, Min: 1, Max: 5),

        new("PutLifecyclePolicy", "lifecyclePolicyText", MemberType.String, Required: true, Min: 100, Max: 30_720),

        new("StartLifecyclePolicyPreview", "lifecyclePolicyText", MemberType.String, Min: 100, Max: 30_720),

        new("TagResource", "resourceArn", MemberType.String, Required: true),
        new("TagResource", "tags", MemberType.List, Required: true),
        new("TagResource", "tags.1.member.Key", MemberType.String, Required: true),
        new("TagResource", "tags.1.member.Value", MemberType.String, Required: true),

        new("UntagResource", "resourceArn", MemberType.String, Required: true),
        new("UntagResource", "tagKeys", MemberType.List, Required: true),
        new("UntagResource", "tagKeys.1.member", MemberType.String),

        new("UpdateImageStorageClass", "imageId", MemberType.Structure, Required: true),
        new("UpdateImageStorageClass", "targetStorageClass", MemberType.String, Required: true, Enum: true),

        new("UploadLayerPart", "uploadId", MemberType.String, Required: true, BadPattern: "not-an-upload-id"),
        new("UploadLayerPart", "partFirstByte", MemberType.Long, Required: true, Min: 0),
        new("UploadLayerPart", "partLastByte", MemberType.Long, Required: true, Min: 0),
        new("UploadLayerPart", "layerPartBlob", MemberType.Blob, Required: true, Max: 20_971_520),
    ];
}
