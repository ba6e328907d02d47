namespace Berth.Domain.Auth.Policies;

/// <summary>
/// IAM's decision for one request, pure: an applicable Deny in any policy wins. Otherwise, in the resource's own
/// account the caller is allowed when its identity policies allow, when the repository or registry policy names it
/// directly (its ARN or <c>*</c>), or when it is the account root. From another account both sides must agree: a
/// resource policy must name the caller or its account, and the caller's identity policies must allow (a root caller
/// speaks for its own account). A resource policy that names only an account delegates to that account's identity
/// policies, so in the same account it grants nothing by itself.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(
        PolicyRequest request,
        IReadOnlyList<PolicyDocument> identityPolicies,
        PolicyDocument? repositoryPolicy,
        PolicyDocument? registryPolicy)
    {
        var identityAllows = false;
        foreach (var policy in identityPolicies)
        {
            foreach (var statement in policy.Statements)
            {
                if (Applies(statement, request))
                {
                    if (statement.Effect == PolicyEffect.Deny)
                    {
                        return PolicyDecision.ExplicitDeny;
                    }

                    identityAllows = true;
                }
            }
        }

        var granted = PrincipalMatch.None;
        foreach (var policy in (ReadOnlySpan<PolicyDocument?>)[repositoryPolicy, registryPolicy])
        {
            if (policy is null)
            {
                continue;
            }

            foreach (var statement in policy.Statements)
            {
                var named = NamedBy(statement, request.Principal);
                if (named == PrincipalMatch.None || !Applies(statement, request))
                {
                    continue;
                }

                if (statement.Effect == PolicyEffect.Deny)
                {
                    return PolicyDecision.ExplicitDeny;
                }

                granted = named > granted ? named : granted;
            }
        }

        var callerSide = identityAllows || request.Principal.Kind == PrincipalKind.Root;
        var allowed = request.Principal.AccountId == request.ResourceAccountId
            ? callerSide || granted == PrincipalMatch.Direct
            : callerSide && granted != PrincipalMatch.None;
        return allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
    }

    /// <summary>How a resource policy statement's principal element names the caller; NotPrincipal names everyone it does not exclude.</summary>
    private static PrincipalMatch NamedBy(PolicyStatement statement, Principal caller)
    {
        if (statement.Principals is not { } principals)
        {
            return PrincipalMatch.None;
        }

        if (statement.NotPrincipal)
        {
            return principals.Excludes(caller) ? PrincipalMatch.None : PrincipalMatch.Direct;
        }

        return principals.Match(caller);
    }

    /// <summary>Whether the statement's action, resource and conditions cover the request (its principal is checked apart).</summary>
    private static bool Applies(PolicyStatement statement, PolicyRequest request)
    {
        if (MatchesAction(statement.Actions, request.Action) == statement.NotAction)
        {
            return false;
        }

        if (statement.Resources is { } resources && MatchesResource(resources, request.ResourceArn) == statement.NotResource)
        {
            return false;
        }

        foreach (var condition in statement.Conditions)
        {
            if (!ConditionEvaluator.Holds(condition, request))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchesAction(IReadOnlyList<string> patterns, string action)
    {
        foreach (var pattern in patterns)
        {
            if (PolicyWildcard.Matches(pattern, action, ignoreCase: true))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesResource(IReadOnlyList<string> patterns, string arn)
    {
        foreach (var pattern in patterns)
        {
            if (PolicyWildcard.MatchesArn(pattern, arn))
            {
                return true;
            }
        }

        return false;
    }
}
