using System.Text.Json.Serialization;

namespace Berth.Domain.PullThrough;

/// <summary>Source-generated JSON for a secret's value and an upstream's token answer.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(UpstreamToken))]
internal sealed partial class SecretJsonContext : JsonSerializerContext;

/// <summary>A registry token service's answer (Docker's token spec: <c>token</c>, or OAuth's <c>access_token</c>).</summary>
internal sealed record UpstreamToken(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);
