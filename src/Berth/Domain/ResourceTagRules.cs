using System.Text;

namespace Berth.Domain;

/// <summary>ECR's limits on resource tags, which the service model leaves to the server.</summary>
public static class ResourceTagRules
{
    public const int MaxTagsPerResource = 50;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    public static DomainError TooManyTags() =>
        new(ErrorCode.TooManyTags, $"The maximum number of tags that can be applied to a repository is {MaxTagsPerResource}");

    /// <summary>Checks keys and values of tags about to be set; null when they are acceptable.</summary>
    public static DomainError? Validate(IReadOnlyList<ResourceTag> tags)
    {
        if (tags.Count > MaxTagsPerResource)
        {
            return TooManyTags();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (ValidateKey(tag.Key) is { } error)
            {
                return error;
            }

            if (tag.Value.Length > MaxValueLength)
            {
                return Invalid($"Tag value exceeds the maximum length of {MaxValueLength} characters: '{tag.Value[..32]}...'");
            }

            if (!HasAllowedCharacters(tag.Value))
            {
                return Invalid($"Tag value '{tag.Value}' contains characters that are not allowed. Allowed: letters, digits, spaces and + - = . _ : / @");
            }

            if (!seen.Add(tag.Key))
            {
                return Invalid($"Duplicate tag key '{tag.Key}' in the request");
            }
        }

        return null;
    }

    public static DomainError? ValidateKey(string key)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            return Invalid($"Tag key must be between 1 and {MaxKeyLength} characters long");
        }

        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid($"Tag key '{key}' uses the reserved prefix 'aws:'");
        }

        return HasAllowedCharacters(key)
            ? null
            : Invalid($"Tag key '{key}' contains characters that are not allowed. Allowed: letters, digits, spaces and + - = . _ : / @");
    }

    private static bool HasAllowedCharacters(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune) && !Rune.IsWhiteSpace(rune) && "+-=._:/@".IndexOf((char)rune.Value) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static DomainError Invalid(string message) => new(ErrorCode.InvalidTagParameter, message);
}
