using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

/// <summary>CreateRepositoryCreationTemplate's and UpdateRepositoryCreationTemplate's request (update sends only what changes).</summary>
public sealed record RepositoryCreationTemplateRequest(
    string Prefix,
    string? Description,
    EncryptionConfigurationDto? EncryptionConfiguration,
    IReadOnlyList<TagDto>? ResourceTags,
    string? ImageTagMutability,
    IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? ImageTagMutabilityExclusionFilters,
    string? RepositoryPolicy,
    string? LifecyclePolicy,
    IReadOnlyList<string>? AppliedFor,
    string? CustomRoleArn);

public sealed record DeleteRepositoryCreationTemplateRequest(string Prefix);

public sealed record DescribeRepositoryCreationTemplatesRequest(IReadOnlyList<string>? Prefixes, string? NextToken, int? MaxResults);

public sealed record RepositoryCreationTemplateDto(
    string Prefix,
    string? Description,
    EncryptionConfigurationDto EncryptionConfiguration,
    IReadOnlyList<TagDto> ResourceTags,
    string ImageTagMutability,
    IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? ImageTagMutabilityExclusionFilters,
    string? RepositoryPolicy,
    string? LifecyclePolicy,
    IReadOnlyList<string> AppliedFor,
    string? CustomRoleArn,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset CreatedAt,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset UpdatedAt);

/// <summary>The answer of create, update and delete: the registry and the template as it now is (or was).</summary>
public sealed record RepositoryCreationTemplateResponse(string RegistryId, RepositoryCreationTemplateDto RepositoryCreationTemplate);

public sealed record DescribeRepositoryCreationTemplatesResponse(
    string RegistryId,
    IReadOnlyList<RepositoryCreationTemplateDto> RepositoryCreationTemplates,
    string? NextToken);
