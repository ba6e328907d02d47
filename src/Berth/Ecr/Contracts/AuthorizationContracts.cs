using System.Text.Json.Serialization;

namespace Berth.Ecr.Contracts;

public sealed record GetAuthorizationTokenRequest(IReadOnlyList<string>? RegistryIds);

public sealed record AuthorizationDataDto(
    string AuthorizationToken,
    [property: JsonConverter(typeof(EpochSecondsConverter))] DateTimeOffset ExpiresAt,
    string ProxyEndpoint);

public sealed record GetAuthorizationTokenResponse(IReadOnlyList<AuthorizationDataDto> AuthorizationData);
