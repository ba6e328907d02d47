using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

public sealed record ImageIdentifierDto(string? ImageDigest, string? ImageTag);

public sealed record ImageFilterDto(string? TagStatus, string? ImageStatus);

public sealed record ListImagesRequest(string? RegistryId, string RepositoryName, string? NextToken, int? MaxResults, ImageFilterDto? Filter);

public sealed record ListImagesResponse(IReadOnlyList<ImageIdentifierDto> ImageIds, string? NextToken);

public sealed record DescribeImagesRequest(
    string? RegistryId,
    string RepositoryName,
    IReadOnlyList<ImageIdentifierDto>? ImageIds,
    string? NextToken,
    int? MaxResults,
    ImageFilterDto? Filter);

public sealed record ImageDetailDto(
    string RegistryId,
    string RepositoryName,
    string ImageDigest,
    IReadOnlyList<string>? ImageTags,
    long ImageSizeInBytes,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset ImagePushedAt,
    string ImageManifestMediaType,
    string? ArtifactMediaType,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? LastRecordedPullTime,
    string? SubjectManifestDigest,
    string ImageStatus,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? LastArchivedAt,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? LastActivatedAt)
{
    /// <summary>The image's latest scan, when it has one.</summary>
    public ImageScanStatusDto? ImageScanStatus { get; init; }

    public ImageScanFindingsSummaryDto? ImageScanFindingsSummary { get; init; }
}

public sealed record DescribeImagesResponse(IReadOnlyList<ImageDetailDto> ImageDetails, string? NextToken);

public sealed record BatchGetImageRequest(string? RegistryId, string RepositoryName, IReadOnlyList<ImageIdentifierDto> ImageIds, IReadOnlyList<string>? AcceptedMediaTypes);

public sealed record ImageDto(string RegistryId, string RepositoryName, ImageIdentifierDto ImageId, string ImageManifest, string ImageManifestMediaType);

public sealed record ImageFailureDto(ImageIdentifierDto ImageId, string FailureCode, string FailureReason);

public sealed record BatchGetImageResponse(IReadOnlyList<ImageDto> Images, IReadOnlyList<ImageFailureDto> Failures);

public sealed record BatchDeleteImageRequest(string? RegistryId, string RepositoryName, IReadOnlyList<ImageIdentifierDto> ImageIds);

public sealed record BatchDeleteImageResponse(IReadOnlyList<ImageIdentifierDto> ImageIds, IReadOnlyList<ImageFailureDto> Failures);

public sealed record PutImageRequest(
    string? RegistryId,
    string RepositoryName,
    string ImageManifest,
    string? ImageManifestMediaType,
    string? ImageTag,
    string? ImageDigest);

public sealed record PutImageResponse(ImageDto Image);

public sealed record SubjectIdentifierDto(string ImageDigest);

public sealed record ListImageReferrersFilterDto(IReadOnlyList<string>? ArtifactTypes, string? ArtifactStatus);

public sealed record ListImageReferrersRequest(
    string? RegistryId,
    string RepositoryName,
    SubjectIdentifierDto SubjectId,
    ListImageReferrersFilterDto? Filter,
    string? NextToken,
    int? MaxResults);

public sealed record ImageReferrerDto(
    string Digest,
    string MediaType,
    string? ArtifactType,
    long Size,
    IReadOnlyDictionary<string, string>? Annotations,
    string ArtifactStatus);

public sealed record ListImageReferrersResponse(IReadOnlyList<ImageReferrerDto> Referrers, string? NextToken);

public sealed record DescribeImageReplicationStatusRequest(string? RegistryId, string RepositoryName, ImageIdentifierDto ImageId);

public sealed record ImageReplicationStatusDto(string Region, string RegistryId, string Status, string? FailureCode);

public sealed record DescribeImageReplicationStatusResponse(string RepositoryName, ImageIdentifierDto ImageId, IReadOnlyList<ImageReplicationStatusDto> ReplicationStatuses);
