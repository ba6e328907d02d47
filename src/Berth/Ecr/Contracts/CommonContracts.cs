using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

public sealed record TagDto([property: JsonPropertyName("Key")] string? Key, [property: JsonPropertyName("Value")] string? Value);

public sealed record ImageTagMutabilityExclusionFilterDto(string? FilterType, string? Filter);

public sealed record ImageScanningConfigurationDto(bool? ScanOnPush);

public sealed record EncryptionConfigurationDto(string? EncryptionType, string? KmsKey);

public sealed record RepositoryDto(
    string RepositoryArn,
    string RegistryId,
    string RepositoryName,
    string RepositoryUri,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset CreatedAt,
    string ImageTagMutability,
    IReadOnlyList<ImageTagMutabilityExclusionFilterDto>? ImageTagMutabilityExclusionFilters,
    ImageScanningConfigurationDto ImageScanningConfiguration,
    EncryptionConfigurationDto EncryptionConfiguration);

public sealed record EmptyDto;

