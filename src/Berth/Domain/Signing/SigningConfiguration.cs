namespace Berth.Domain.Signing;

/// <summary>A registry's signing rules: every push to a repository a rule matches is signed with that rule's profile.</summary>
public sealed record SigningConfiguration(IReadOnlyList<SigningRule> Rules)
{
    /// <summary>The profiles that sign a push to <paramref name="repositoryName"/>, each once, in rule order.</summary>
    public IReadOnlyList<string> ProfilesFor(string repositoryName)
    {
        var arns = new List<string>();
        foreach (var rule in Rules)
        {
            if (rule.Matches(repositoryName) && !arns.Contains(rule.SigningProfileArn, StringComparer.Ordinal))
            {
                arns.Add(rule.SigningProfileArn);
            }
        }

        return arns;
    }
}

/// <summary>One rule: a profile and the repositories it signs (every repository when there are no filters).</summary>
public sealed record SigningRule(string SigningProfileArn, IReadOnlyList<SigningRepositoryFilter>? RepositoryFilters)
{
    public bool Matches(string repositoryName)
    {
        if (RepositoryFilters is not { Count: > 0 } filters)
        {
            return true;
        }

        foreach (var filter in filters)
        {
            // ECR's WILDCARD_MATCH: '*' is any run of characters ('/' included), every other character itself.
            if (TagMutabilityMatcher.Matches(filter.Filter, repositoryName))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A repository filter of a signing rule; the model's only type is WILDCARD_MATCH.</summary>
public sealed record SigningRepositoryFilter(string Filter, string FilterType);
