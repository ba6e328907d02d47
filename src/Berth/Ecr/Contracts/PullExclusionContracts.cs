using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

/// <summary>RegisterPullTimeUpdateExclusion's and DeregisterPullTimeUpdateExclusion's request.</summary>
public sealed record PullTimeUpdateExclusionRequest(string PrincipalArn);

public sealed record RegisterPullTimeUpdateExclusionResponse(
    string PrincipalArn,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset CreatedAt);

public sealed record DeregisterPullTimeUpdateExclusionResponse(string PrincipalArn);

public sealed record ListPullTimeUpdateExclusionsRequest(int? MaxResults, string? NextToken);

public sealed record ListPullTimeUpdateExclusionsResponse(IReadOnlyList<string> PullTimeUpdateExclusions, string? NextToken);
