namespace Berth.Domain.Signing;

/// <summary>
/// Signing profile ARNs, shaped as AWS Signer's (<c>arn:&lt;partition&gt;:signer:&lt;region&gt;:&lt;account&gt;:/signing-profiles/&lt;name&gt;</c>), so
/// ECR clients and policies that expect a Signer profile take Berth's own.
/// </summary>
public static class SigningProfileArn
{
    private const string Resource = "/signing-profiles/";

    public static string Format(RegistryScope registry, string name) =>
        $"arn:{RepositoryArn.Partition(registry.Region)}:signer:{registry.Region}:{registry.AccountId}:{Resource}{name}";

    /// <summary>Signer's profile names: 2 to 64 letters, digits and underscores.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is < 2 or > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The registry and name an ARN names; false for anything that is not a profile ARN of its region's partition.</summary>
    public static bool TryParse(string arn, out RegistryScope registry, out string name)
    {
        registry = default;
        name = string.Empty;
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "signer" || parts[3].Length == 0
            || parts[1] != RepositoryArn.Partition(parts[3]) || !RepositoryArn.IsAccountId(parts[4])
            || !parts[5].StartsWith(Resource, StringComparison.Ordinal) || !IsValidName(parts[5][Resource.Length..]))
        {
            return false;
        }

        registry = new RegistryScope(parts[4], parts[3]);
        name = parts[5][Resource.Length..];
        return true;
    }
}
