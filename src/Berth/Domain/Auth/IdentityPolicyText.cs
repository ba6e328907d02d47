using System.Text.Json;

namespace Berth.Domain.Auth;

/// <summary>
/// The first check an identity policy's text gets before it is attached: JSON, an object, with a <c>Statement</c>
/// (an object or an array). What the statements say is the policy evaluator's to judge.
/// </summary>
public static class IdentityPolicyText
{
    /// <summary>Null when <paramref name="text"/> passes, or one line saying what is wrong.</summary>
    public static string? Problem(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "the policy must be a JSON object";
            }

            return document.RootElement.TryGetProperty("Statement", out var statement)
                && statement.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                ? null
                : "the policy has no Statement (an object or an array)";
        }
        catch (JsonException e)
        {
            return $"the policy is not valid JSON: {e.Message}";
        }
    }
}
