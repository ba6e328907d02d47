namespace Berth.Domain.Auth.Policies;

/// <summary>How IAM names a caller in conditions and principal elements.</summary>
public static class PolicyPrincipals
{
    /// <summary>
    /// The ARN <c>aws:PrincipalArn</c> holds: an assumed-role session (<c>arn:aws:sts::N:assumed-role/R/S</c>) counts as its
    /// role (<c>arn:aws:iam::N:role/R</c>); any other caller is its own ARN.
    /// </summary>
    public static string IamArnOf(Principal caller)
    {
        if (TrySplitSession(caller.Arn, out var partition, out var roleName))
        {
            return $"arn:{partition}:iam::{caller.AccountId}:role/{roleName}";
        }

        return caller.Arn;
    }

    /// <summary>The value of <c>aws:PrincipalType</c>.</summary>
    public static string TypeOf(Principal caller) => caller.Kind switch
    {
        PrincipalKind.Root => "Account",
        PrincipalKind.User => "User",
        _ => "AssumedRole",
    };

    /// <summary>True when a role ARN in a policy (possibly with a path) names the role a session caller assumed.</summary>
    internal static bool SameRole(string policyArn, Principal caller)
    {
        if (!TrySplitSession(caller.Arn, out _, out var roleName)
            || !Principal.TryParse(policyArn, out var named) || named.Kind != PrincipalKind.Role
            || named.AccountId != caller.AccountId)
        {
            return false;
        }

        var slash = policyArn.LastIndexOf('/');
        return policyArn.AsSpan(slash + 1).SequenceEqual(roleName) && policyArn.Contains(":role/", StringComparison.Ordinal);
    }

    private static bool TrySplitSession(string arn, out string partition, out string roleName)
    {
        partition = roleName = "";
        if (!arn.Contains(":sts:", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "sts" || !parts[5].StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = parts[5]["assumed-role/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        partition = parts[1];
        roleName = slash < 0 ? rest : rest[..slash];
        return roleName.Length > 0;
    }
}
