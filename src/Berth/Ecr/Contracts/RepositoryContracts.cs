namespace Berth.Ecr.Contracts;

public sealed record CreateRepositoryRequest(
    string? RegistryId,
    string RepositoryName,
    IReadOnlyList<TagDto>? Tags,
    string? ImageTagMutability,
    IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? ImageTagMutabilityExclusionFilters,
    ImageScanningConfigurationDto? ImageScanningConfiguration,
    EncryptionConfigurationDto? EncryptionConfiguration);

public sealed record RepositoryResponse(RepositoryDto Repository);

public sealed record DescribeRepositoriesRequest(string? RegistryId, IReadOnlyList<string>? RepositoryNames, string? NextToken, int? MaxResults);

public sealed record DescribeRepositoriesResponse(IReadOnlyList<RepositoryDto> Repositories, string? NextToken);

public sealed record DeleteRepositoryRequest(string? RegistryId, string RepositoryName, bool? Force);

public sealed record PutImageTagMutabilityRequest(
    string? RegistryId,
    string RepositoryName,
    string ImageTagMutability,
    IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? ImageTagMutabilityExclusionFilters);

public sealed record PutImageTagMutabilityResponse(
    string RegistryId,
    string RepositoryName,
    string ImageTagMutability,
    IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? ImageTagMutabilityExclusionFilters);

public sealed record PutImageScanningConfigurationRequest(
    string? RegistryId,
    string RepositoryName,
    ImageScanningConfigurationDto ImageScanningConfiguration);

public sealed record PutImageScanningConfigurationResponse(
    string RegistryId,
    string RepositoryName,
    ImageScanningConfigurationDto ImageScanningConfiguration);

public sealed record DescribeRegistryResponse(string RegistryId, ReplicationConfigurationDto ReplicationConfiguration);

public sealed record ReplicationConfigurationDto(IReadOnlyList<ReplicationRuleDto> Rules);

public sealed record ReplicationRuleDto(IReadOnlyList<ReplicationDestinationDto> Destinations, IReadOnlyList<RepositoryFilterDto>? RepositoryFilters = null);

public sealed record ReplicationDestinationDto(string Region, string RegistryId);
