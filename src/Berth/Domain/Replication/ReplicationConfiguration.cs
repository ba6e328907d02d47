namespace Berth.Domain.Replication;

/// <summary>A registry's replication configuration: ECR's rules, replaced whole by each put.</summary>
public sealed record ReplicationConfiguration(IReadOnlyList<ReplicationRule> Rules)
{
    /// <summary>What a registry that never set one reports: no rules.</summary>
    public static ReplicationConfiguration Empty { get; } = new([]);
}

/// <summary>One rule: where matching repositories replicate to; no filters means every repository.</summary>
public sealed record ReplicationRule(IReadOnlyList<ReplicationDestination> Destinations, IReadOnlyList<RepositoryFilter>? RepositoryFilters)
{
    /// <summary>Whether a push to <paramref name="repositoryName"/> replicates under this rule.</summary>
    public bool Matches(string repositoryName)
    {
        if (RepositoryFilters is not { Count: > 0 } filters)
        {
            return true;
        }

        foreach (var filter in filters)
        {
            if (repositoryName.StartsWith(filter.Filter, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A destination registry: a region and an account id.</summary>
public sealed record ReplicationDestination(string Region, string RegistryId)
{
    public RegistryScope Scope => new(RegistryId, Region);
}

/// <summary>A repository filter; ECR knows one type, <c>PREFIX_MATCH</c>.</summary>
public sealed record RepositoryFilter(string Filter, string FilterType);
