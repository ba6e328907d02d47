namespace Berth.Ecr.Contracts;

public sealed record InitiateLayerUploadRequest(string? RegistryId, string RepositoryName);

public sealed record InitiateLayerUploadResponse(string UploadId, long PartSize);

public sealed record UploadLayerPartRequest(
    string? RegistryId,
    string RepositoryName,
    string UploadId,
    long PartFirstByte,
    long PartLastByte,
    byte[] LayerPartBlob);

public sealed record UploadLayerPartResponse(string RegistryId, string RepositoryName, string UploadId, long LastByteReceived);

public sealed record CompleteLayerUploadRequest(string? RegistryId, string RepositoryName, string UploadId, IReadOnlyList<string> LayerDigests);

public sealed record CompleteLayerUploadResponse(string RegistryId, string RepositoryName, string UploadId, string LayerDigest);

public sealed record BatchCheckLayerAvailabilityRequest(string? RegistryId, string RepositoryName, IReadOnlyList<string> LayerDigests);

public sealed record LayerDto(string LayerDigest, string LayerAvailability, long? LayerSize, string? MediaType);

public sealed record LayerFailureDto(string? LayerDigest, string FailureCode, string FailureReason);

public sealed record BatchCheckLayerAvailabilityResponse(IReadOnlyList<LayerDto> Layers, IReadOnlyList<LayerFailureDto> Failures);

public sealed record GetDownloadUrlForLayerRequest(string? RegistryId, string RepositoryName, string LayerDigest);

public sealed record GetDownloadUrlForLayerResponse(string DownloadUrl, string LayerDigest);
