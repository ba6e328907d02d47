namespace Berth.Domain.Auth.Policies;

/// <summary>
/// A statement's <c>Principal</c> or <c>NotPrincipal</c>: everyone (<c>*</c>), accounts (by id or root ARN), IAM users and
/// roles by ARN, and AWS service names (which never name a Berth caller).
/// </summary>
public sealed record PrincipalSet(bool Everyone, IReadOnlyList<string> Accounts, IReadOnlyList<string> Arns, IReadOnlyList<string> Services)
{
    /// <summary>How this set names the caller.</summary>
    public PrincipalMatch Match(Principal caller)
    {
        if (Everyone || NamesArn(caller))
        {
            return caller.Kind == PrincipalKind.Root && !Everyone ? PrincipalMatch.Account : PrincipalMatch.Direct;
        }

        return NamesAccount(caller.AccountId) ? PrincipalMatch.Account : PrincipalMatch.None;
    }

    /// <summary>
    /// True when <c>NotPrincipal</c> leaves the caller out. IAM evaluates a user or role together with its account, so
    /// both must be listed; for a root caller the account is the caller.
    /// </summary>
    public bool Excludes(Principal caller) =>
        Everyone || (NamesAccount(caller.AccountId) && (caller.Kind == PrincipalKind.Root || NamesArn(caller)));

    private bool NamesAccount(string accountId)
    {
        foreach (var account in Accounts)
        {
            if (account == accountId)
            {
                return true;
            }
        }

        return false;
    }

    private bool NamesArn(Principal caller)
    {
        if (caller.Kind == PrincipalKind.Root)
        {
            return NamesAccount(caller.AccountId);
        }

        var roleArn = PolicyPrincipals.IamArnOf(caller);
        foreach (var arn in Arns)
        {
            if (arn == caller.Arn || arn == roleArn || (caller.Kind == PrincipalKind.Role && PolicyPrincipals.SameRole(arn, caller)))
            {
                return true;
            }
        }

        return false;
    }
}
