namespace Berth.Domain.Auth;

/// <summary>
/// Who makes a request, as IAM names it: <c>arn:&lt;partition&gt;:iam::&lt;account&gt;:root</c>, <c>…:user/&lt;path&gt;</c> or
/// <c>…:role/&lt;path&gt;</c> (an STS assumed-role session counts as its role). Both protocols carry one to the
/// authorizer.
/// </summary>
public sealed record Principal(string AccountId, string Arn, PrincipalKind Kind)
{
    public static Principal Root(string accountId, string partition) =>
        new(accountId, $"arn:{partition}:iam::{accountId}:root", PrincipalKind.Root);

    public static Principal User(string accountId, string userName, string partition) =>
        new(accountId, $"arn:{partition}:iam::{accountId}:user/{userName}", PrincipalKind.User);

    /// <summary>The principal an access key acts as: its user, or its account's root when it has none.</summary>
    public static Principal OfAccessKey(AccessKey key, string partition) =>
        key.UserName is { } user ? User(key.AccountId, user, partition) : Root(key.AccountId, partition);

    /// <summary>Parses an IAM or STS principal ARN; anything else (a resource ARN, an access key id) is not one.</summary>
    public static bool TryParse(string arn, out Principal principal)
    {
        principal = null!;
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[1].Length == 0 || parts[3].Length != 0
            || !RepositoryArn.IsAccountId(parts[4]))
        {
            return false;
        }

        var (service, account, resource) = (parts[2], parts[4], parts[5]);
        PrincipalKind? kind = service switch
        {
            "iam" when resource == "root" => PrincipalKind.Root,
            "iam" when HasName(resource, "user/") => PrincipalKind.User,
            "iam" when HasName(resource, "role/") => PrincipalKind.Role,
            "sts" when HasName(resource, "assumed-role/") => PrincipalKind.Role,
            _ => null,
        };
        if (kind is not { } found)
        {
            return false;
        }

        principal = new Principal(account, arn, found);
        return true;
    }

    private static bool HasName(string resource, string prefix) =>
        resource.Length > prefix.Length && resource.StartsWith(prefix, StringComparison.Ordinal);
}
