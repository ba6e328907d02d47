using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Tests.Ecr;

/// <summary>Request bodies for ECR calls in tests, with absent members left out rather than sent as null.</summary>
internal static class EcrJson
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string Of(object value) => JsonSerializer.Serialize(value, Options);

    /// <summary>An ImageIdentifier with only the members given.</summary>
    public static Dictionary<string, string> Id(string? digest = null, string? tag = null)
    {
        var id = new Dictionary<string, string>(StringComparer.Ordinal);
        if (digest is not null)
        {
            id["imageDigest"] = digest;
        }

        if (tag is not null)
        {
            id["imageTag"] = tag;
        }

        return id;
    }

    /// <summary>"digest" or "digest:tag" for each listed ImageIdentifier, for order-insensitive comparison.</summary>
    public static string Key(JsonElement id) =>
        id.GetProperty("imageDigest").GetString() + (id.TryGetProperty("imageTag", out var tag) ? ":" + tag.GetString() : string.Empty);

    public static string? NextToken(JsonElement page) => page.TryGetProperty("nextToken", out var token) ? token.GetString() : null;
}
