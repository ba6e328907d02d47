using System.Text.RegularExpressions;

namespace Berth.Domain;

/// <summary>The OCI tag grammar.</summary>
public static partial class ImageTags
{
    public static bool IsValid(ReadOnlySpan<char> tag) => tag.Length is >= 1 and <= 128 && Pattern().IsMatch(tag);

    /// <summary>The OCI tag characters at any length: ECR's model allows tags of up to 300 characters.</summary>
    public const string AlphabetPattern = "[A-Za-z0-9_][A-Za-z0-9._-]*";

    public static bool IsValidAlphabet(ReadOnlySpan<char> tag) => AlphabetRegex().IsMatch(tag);

    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\A" + AlphabetPattern + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex AlphabetRegex();
}
