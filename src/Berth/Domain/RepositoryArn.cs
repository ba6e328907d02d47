namespace Berth.Domain;

/// <summary>Builds and parses repository ARNs: <c>arn:&lt;partition&gt;:ecr:&lt;region&gt;:&lt;account&gt;:repository/&lt;name&gt;</c>.</summary>
public static class RepositoryArn
{
    public static string Format(RepositoryKey key) =>
        $"arn:{Partition(key.Region)}:ecr:{key.Region}:{key.AccountId}:repository/{key.Name}";

    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary>Parses a repository ARN; the name is not validated here beyond being non-empty.</summary>
    public static bool TryParse(string arn, out RepositoryKey key)
    {
        key = default;
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "ecr")
        {
            return false;
        }

        var (partition, region, account, resource) = (parts[1], parts[3], parts[4], parts[5]);
        if (region.Length == 0 || partition != Partition(region) || !IsAccountId(account)
            || !resource.StartsWith("repository/", StringComparison.Ordinal) || resource.Length == "repository/".Length)
        {
            return false;
        }

        key = new RepositoryKey(account, region, resource["repository/".Length..]);
        return true;
    }

    public static bool IsAccountId(ReadOnlySpan<char> value)
    {
        if (value.Length != 12)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
