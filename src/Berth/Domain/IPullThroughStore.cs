using Berth.Domain.PullThrough;

namespace Berth.Domain;

/// <summary>
/// A registry's pull-through cache rules, keyed by ECR repository prefix (compared exactly), and when each cached tag
/// was last checked against its upstream. Each method is one transaction.
/// </summary>
public interface IPullThroughStore
{
    /// <summary>Adds the rule unless its prefix is taken (the stored one is kept) or the registry has <paramref name="limit"/> rules.</summary>
    Task<PullThroughRuleAddition> AddRuleAsync(PullThroughRule rule, int limit, CancellationToken cancellationToken);

    /// <summary>The rule with this prefix, or null.</summary>
    Task<PullThroughRule?> GetRuleAsync(RegistryScope registry, string ecrRepositoryPrefix, CancellationToken cancellationToken);

    /// <summary>Replaces the rule's credential and role ARNs and its update time; the rule as stored after, or null when there is none.</summary>
    Task<PullThroughRule?> UpdateRuleAsync(
        RegistryScope registry,
        string ecrRepositoryPrefix,
        string? credentialArn,
        string? customRoleArn,
        DateTimeOffset updatedAt,
        CancellationToken cancellationToken);

    /// <summary>Removes the rule; the rule as it was, or null when there was none.</summary>
    Task<PullThroughRule?> DeleteRuleAsync(RegistryScope registry, string ecrRepositoryPrefix, CancellationToken cancellationToken);

    /// <summary>One keyset page of the registry's rules in ordinal prefix order, after <paramref name="afterPrefix"/>.</summary>
    Task<Page<PullThroughRule>> ListRulesAsync(RegistryScope registry, string? afterPrefix, int limit, CancellationToken cancellationToken);

    /// <summary>When the repository's tag was last checked against the upstream, or null when never (or no such repository).</summary>
    Task<DateTimeOffset?> GetTagCheckAsync(RepositoryKey repository, string tag, CancellationToken cancellationToken);

    /// <summary>Records a check of the tag against the upstream; false when the repository does not exist. Deleting the repository drops it.</summary>
    Task<bool> SetTagCheckAsync(RepositoryKey repository, string tag, DateTimeOffset checkedAt, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IPullThroughStore.AddRuleAsync"/> did.</summary>
public enum PullThroughRuleAddition
{
    Added,
    AlreadyExists,
    LimitReached,
}
