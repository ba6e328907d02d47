using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

public sealed record ScanningRepositoryFilterDto(string Filter, string FilterType);

public sealed record RegistryScanningRuleDto(string ScanFrequency, IReadOnlyList<ScanningRepositoryFilterDto> RepositoryFilters);

public sealed record RegistryScanningConfigurationDto(string ScanType, IReadOnlyList<RegistryScanningRuleDto> Rules);

public sealed record PutRegistryScanningConfigurationRequest(string? ScanType, IReadOnlyList<RegistryScanningRuleDto>? Rules);

public sealed record PutRegistryScanningConfigurationResponse(RegistryScanningConfigurationDto RegistryScanningConfiguration);

public sealed record GetRegistryScanningConfigurationResponse(string RegistryId, RegistryScanningConfigurationDto ScanningConfiguration);

public sealed record BatchGetRepositoryScanningConfigurationRequest(IReadOnlyList<string> RepositoryNames);

public sealed record RepositoryScanningConfigurationDto(
    string RepositoryArn,
    string RepositoryName,
    bool ScanOnPush,
    string ScanFrequency,
    IReadOnlyList<ScanningRepositoryFilterDto> AppliedScanFilters);

public sealed record RepositoryScanningConfigurationFailureDto(string RepositoryName, string FailureCode, string FailureReason);

public sealed record BatchGetRepositoryScanningConfigurationResponse(
    IReadOnlyList<RepositoryScanningConfigurationDto> ScanningConfigurations,
    IReadOnlyList<RepositoryScanningConfigurationFailureDto> Failures);

public sealed record StartImageScanRequest(string? RegistryId, string RepositoryName, ImageIdentifierDto ImageId);

public sealed record ImageScanStatusDto(string Status, string? Description);

public sealed record StartImageScanResponse(string RegistryId, string RepositoryName, ImageIdentifierDto ImageId, ImageScanStatusDto ImageScanStatus);

public sealed record DescribeImageScanFindingsRequest(string? RegistryId, string RepositoryName, ImageIdentifierDto ImageId, string? NextToken, int? MaxResults);

public sealed record DescribeImageScanFindingsResponse(
    string RegistryId,
    string RepositoryName,
    ImageIdentifierDto ImageId,
    ImageScanStatusDto ImageScanStatus,
    ImageScanFindingsDto? ImageScanFindings,
    string? NextToken);

/// <summary>DescribeImages' summary of an image's latest scan.</summary>
public sealed record ImageScanFindingsSummaryDto(
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? ImageScanCompletedAt,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? VulnerabilitySourceUpdatedAt,
    IReadOnlyDictionary<string, int>? FindingSeverityCounts);

public sealed record ImageScanFindingsDto(
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? ImageScanCompletedAt,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? VulnerabilitySourceUpdatedAt,
    IReadOnlyDictionary<string, int>? FindingSeverityCounts,
    IReadOnlyList<ImageScanFindingDto>? Findings,
    IReadOnlyList<EnhancedImageScanFindingDto>? EnhancedFindings);

public sealed record AttributeDto(string Key, string? Value);

public sealed record ImageScanFindingDto(string Name, string? Description, string? Uri, string Severity, IReadOnlyList<AttributeDto> Attributes);

public sealed record CvssScoreDto(double? BaseScore, string? ScoringVector, string? Source, string? Version);

public sealed record VulnerablePackageDto(
    string? Arch,
    string? FilePath,
    string Name,
    string PackageManager,
    string? SourceLayerHash,
    string Version,
    string? FixedInVersion);

public sealed record PackageVulnerabilityDetailsDto(
    IReadOnlyList<CvssScoreDto> Cvss,
    IReadOnlyList<string> ReferenceUrls,
    IReadOnlyList<string> RelatedVulnerabilities,
    string Source,
    string? SourceUrl,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? VendorCreatedAt,
    string VendorSeverity,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? VendorUpdatedAt,
    string VulnerabilityId,
    IReadOnlyList<VulnerablePackageDto> VulnerablePackages);

public sealed record RecommendationDto(string? Url, string Text);

public sealed record RemediationDto(RecommendationDto Recommendation);

public sealed record AwsEcrContainerImageDetailsDto(
    string ImageHash,
    IReadOnlyList<string> ImageTags,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset PushedAt,
    string Registry,
    string RepositoryName);

public sealed record ResourceDetailsDto(AwsEcrContainerImageDetailsDto AwsEcrContainerImage);

public sealed record ResourceDto(ResourceDetailsDto Details, string Id, string Type);

public sealed record CvssScoreDetailsDto(double Score, string ScoreSource, string ScoringVector, string Version);

public sealed record ScoreDetailsDto(CvssScoreDetailsDto Cvss);

public sealed record EnhancedImageScanFindingDto(
    string AwsAccountId,
    string? Description,
    string FindingArn,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? FirstObservedAt,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? LastObservedAt,
    PackageVulnerabilityDetailsDto PackageVulnerabilityDetails,
    RemediationDto Remediation,
    IReadOnlyList<ResourceDto> Resources,
    double? Score,
    ScoreDetailsDto? ScoreDetails,
    string Severity,
    string Status,
    string Title,
    string Type,
    [property: JsonConverter(typeof(NullableEpochSecondsConverter))] DateTimeOffset? UpdatedAt,
    string FixAvailable);

/// <summary>Source-generated serialisation of the scanning operations' shapes (apart from <see cref="EcrJsonContext"/>, which DescribeImages uses).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(PutRegistryScanningConfigurationRequest))]
[JsonSerializable(typeof(PutRegistryScanningConfigurationResponse))]
[JsonSerializable(typeof(GetRegistryScanningConfigurationResponse))]
[JsonSerializable(typeof(BatchGetRepositoryScanningConfigurationRequest))]
[JsonSerializable(typeof(BatchGetRepositoryScanningConfigurationResponse))]
[JsonSerializable(typeof(StartImageScanRequest))]
[JsonSerializable(typeof(StartImageScanResponse))]
[JsonSerializable(typeof(DescribeImageScanFindingsRequest))]
[JsonSerializable(typeof(DescribeImageScanFindingsResponse))]
public sealed partial class ScanningJsonContext : JsonSerializerContext;
