using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

/// <summary>Source-generated serialisation for every ECR request and response shape Berth handles.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(EmptyDto))]
[JsonSerializable(typeof(CreateRepositoryRequest))]
[JsonSerializable(typeof(RepositoryResponse))]
[JsonSerializable(typeof(DescribeRepositoriesRequest))]
[JsonSerializable(typeof(DescribeRepositoriesResponse))]
[JsonSerializable(typeof(DeleteRepositoryRequest))]
[JsonSerializable(typeof(PutImageTagMutabilityRequest))]
[JsonSerializable(typeof(PutImageTagMutabilityResponse))]
[JsonSerializable(typeof(PutImageScanningConfigurationRequest))]
[JsonSerializable(typeof(PutImageScanningConfigurationResponse))]
[JsonSerializable(typeof(DescribeRegistryResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceResponse))]
[JsonSerializable(typeof(GetAuthorizationTokenRequest))]
[JsonSerializable(typeof(GetAuthorizationTokenResponse))]
public sealed partial class EcrJsonContext : JsonSerializerContext;
