namespace Berth.Ecr.Contracts;

public sealed record SigningRepositoryFilterDto(string Filter, string FilterType);

public sealed record SigningRuleDto(string SigningProfileArn, IReadOnlyList<SigningRepositoryFilterDto>? RepositoryFilters);

public sealed record SigningConfigurationDto(IReadOnlyList<SigningRuleDto> Rules);

public sealed record PutSigningConfigurationRequest(SigningConfigurationDto SigningConfiguration);

public sealed record PutSigningConfigurationResponse(SigningConfigurationDto SigningConfiguration);

/// <summary>GetSigningConfiguration's and DeleteSigningConfiguration's answer.</summary>
public sealed record SigningConfigurationResponse(string RegistryId, SigningConfigurationDto SigningConfiguration);

public sealed record DescribeImageSigningStatusRequest(string? RegistryId, string RepositoryName, ImageIdentifierDto ImageId);

public sealed record ImageSigningStatusDto(string SigningProfileArn, string Status, string? FailureCode, string? FailureReason);

public sealed record DescribeImageSigningStatusResponse(
    string RepositoryName,
    ImageIdentifierDto ImageId,
    string RegistryId,
    IReadOnlyList<ImageSigningStatusDto> SigningStatuses);
