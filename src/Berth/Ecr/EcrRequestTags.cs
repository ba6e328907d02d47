using System.Text.Json;

namespace Berth.Ecr;

/// <summary>
/// The tags an ECR call sets or names, read from its already parsed and validated body for the authorizer:
/// <c>aws:RequestTag/*</c> and <c>aws:TagKeys</c> from CreateRepository's and TagResource's <c>tags</c>,
/// <c>aws:TagKeys</c> from UntagResource's <c>tagKeys</c>.
/// </summary>
public static class EcrRequestTags
{
    public static (IReadOnlyDictionary<string, string>? Tags, IReadOnlyList<string>? Keys) Read(string operation, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        switch (operation)
        {
            case "CreateRepository" or "TagResource" when body.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array:
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                var keys = new List<string>();
                foreach (var tag in tags.EnumerateArray())
                {
                    if (String(tag, "Key") is { } key)
                    {
                        // A repeated key is one tag with its last value, as the store applies them.
                        if (!values.ContainsKey(key))
                        {
                            keys.Add(key);
                        }

                        values[key] = String(tag, "Value") ?? string.Empty;
                    }
                }

                return keys.Count == 0 ? (null, null) : (values, keys);
            case "UntagResource" when body.TryGetProperty("tagKeys", out var tagKeys) && tagKeys.ValueKind == JsonValueKind.Array:
                var names = new List<string>();
                foreach (var key in tagKeys.EnumerateArray())
                {
                    if (key.ValueKind == JsonValueKind.String && key.GetString() is { } name && !names.Contains(name))
                    {
                        names.Add(name);
                    }
                }

                return names.Count == 0 ? (null, null) : (null, names);
            default:
                return (null, null);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
