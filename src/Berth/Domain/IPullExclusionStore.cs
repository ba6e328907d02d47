namespace Berth.Domain;

/// <summary>
/// A registry's pull-time update exclusions: IAM principal ARNs whose pulls leave <c>lastRecordedPullTime</c> as it
/// is. ARNs compare exactly. Each method is one transaction.
/// </summary>
public interface IPullExclusionStore
{
    /// <summary>
    /// Adds the principal with its creation time unless it is already there (the stored one is kept) or the registry
    /// already has <paramref name="limit"/> exclusions.
    /// </summary>
    Task<PullExclusionAddition> AddAsync(RegistryScope registry, string principalArn, DateTimeOffset createdAt, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the principal; false when it was not excluded.</summary>
    Task<bool> RemoveAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken);

    /// <summary>One keyset page of the registry's excluded ARNs in ordinal order, after <paramref name="afterArn"/>.</summary>
    Task<Page<string>> ListAsync(RegistryScope registry, string? afterArn, int limit, CancellationToken cancellationToken);

    /// <summary>True when the principal is excluded in the registry.</summary>
    Task<bool> ContainsAsync(RegistryScope registry, string principalArn, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IPullExclusionStore.AddAsync"/> did.</summary>
public enum PullExclusionAddition
{
    Added,
    AlreadyExcluded,
    LimitReached,
}
