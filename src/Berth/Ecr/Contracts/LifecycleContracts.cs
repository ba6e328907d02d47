using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

public sealed record LifecyclePolicyRequest(string? RegistryId, string RepositoryName, string? LifecyclePolicyText);

public sealed record PutLifecyclePolicyResponse(string RegistryId, string RepositoryName, string LifecyclePolicyText);

/// <summary>
/// GetLifecyclePolicy's and DeleteLifecyclePolicy's answer; <see cref="LastEvaluatedAt"/> is always sent, the epoch
/// until the policy has run, as ECR's own examples show.
/// </summary>
public sealed record LifecyclePolicyResponse(
    string RegistryId,
    string RepositoryName,
    string LifecyclePolicyText,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset LastEvaluatedAt);

public sealed record StartLifecyclePolicyPreviewResponse(string RegistryId, string RepositoryName, string LifecyclePolicyText, string Status);

public sealed record LifecyclePreviewFilterDto(string? TagStatus);

public sealed record GetLifecyclePolicyPreviewRequest(
    string? RegistryId,
    string RepositoryName,
    IReadOnlyList<ImageIdentifierDto>? ImageIds,
    string? NextToken,
    int? MaxResults,
    LifecyclePreviewFilterDto? Filter);

public sealed record LifecycleRuleActionDto(string Type, string? TargetStorageClass);

public sealed record LifecyclePreviewResultDto(
    IReadOnlyList<string>? ImageTags,
    string ImageDigest,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset ImagePushedAt,
    LifecycleRuleActionDto Action,
    int AppliedRulePriority,
    string StorageClass);

public sealed record TransitioningImageTotalCountDto(string TargetStorageClass, int ImageTotalCount);

public sealed record LifecyclePreviewSummaryDto(int ExpiringImageTotalCount, IReadOnlyList<TransitioningImageTotalCountDto>? TransitioningImageTotalCounts);

public sealed record GetLifecyclePolicyPreviewResponse(
    string RegistryId,
    string RepositoryName,
    string LifecyclePolicyText,
    string Status,
    string? NextToken,
    IReadOnlyList<LifecyclePreviewResultDto> PreviewResults,
    LifecyclePreviewSummaryDto? Summary);

public sealed record UpdateImageStorageClassRequest(string? RegistryId, string RepositoryName, ImageIdentifierDto ImageId, string TargetStorageClass);

public sealed record UpdateImageStorageClassResponse(string RegistryId, string RepositoryName, ImageIdentifierDto ImageId, string ImageStatus);
