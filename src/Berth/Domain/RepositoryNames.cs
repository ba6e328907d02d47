using System.Text.RegularExpressions;

namespace Berth.Domain;

/// <summary>The repository name grammar shared by ECR's model and the OCI spec.</summary>
public static partial class RepositoryNames
{
    public const int MinLength = 2;
    public const int MaxLength = 256;

    public static bool IsValid(ReadOnlySpan<char> name) =>
        name.Length is >= MinLength and <= MaxLength && Pattern().IsMatch(name);

    [GeneratedRegex(@"\A[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
