using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

public sealed record CreatePullThroughCacheRuleRequest(
    string EcrRepositoryPrefix,
    string UpstreamRegistryUrl,
    string? RegistryId,
    string? UpstreamRegistry,
    string? CredentialArn,
    string? CustomRoleArn,
    string? UpstreamRepositoryPrefix);

public sealed record CreatePullThroughCacheRuleResponse(
    string EcrRepositoryPrefix,
    string UpstreamRegistryUrl,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset CreatedAt,
    string RegistryId,
    string UpstreamRegistry,
    string? CredentialArn,
    string? CustomRoleArn,
    string? UpstreamRepositoryPrefix);

public sealed record DescribePullThroughCacheRulesRequest(string? RegistryId, IReadOnlyList<string>? EcrRepositoryPrefixes, string? NextToken, int? MaxResults);

public sealed record PullThroughCacheRuleDto(
    string EcrRepositoryPrefix,
    string UpstreamRegistryUrl,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset CreatedAt,
    string RegistryId,
    string? CredentialArn,
    string? CustomRoleArn,
    string? UpstreamRepositoryPrefix,
    string UpstreamRegistry,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset UpdatedAt);

public sealed record DescribePullThroughCacheRulesResponse(IReadOnlyList<PullThroughCacheRuleDto> PullThroughCacheRules, string? NextToken);

public sealed record UpdatePullThroughCacheRuleRequest(string? RegistryId, string EcrRepositoryPrefix, string? CredentialArn, string? CustomRoleArn);

public sealed record UpdatePullThroughCacheRuleResponse(
    string EcrRepositoryPrefix,
    string RegistryId,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset UpdatedAt,
    string? CredentialArn,
    string? CustomRoleArn,
    string? UpstreamRepositoryPrefix);

/// <summary>DeletePullThroughCacheRule's and ValidatePullThroughCacheRule's request.</summary>
public sealed record PullThroughCacheRuleRequest(string EcrRepositoryPrefix, string? RegistryId);

public sealed record DeletePullThroughCacheRuleResponse(
    string EcrRepositoryPrefix,
    string UpstreamRegistryUrl,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset CreatedAt,
    string RegistryId,
    string? CredentialArn,
    string? CustomRoleArn,
    string? UpstreamRepositoryPrefix);

public sealed record ValidatePullThroughCacheRuleResponse(
    string EcrRepositoryPrefix,
    string RegistryId,
    string UpstreamRegistryUrl,
    string? CredentialArn,
    string? CustomRoleArn,
    string? UpstreamRepositoryPrefix,
    bool IsValid,
    string? Failure);
